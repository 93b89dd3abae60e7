import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresJobQueue } from '../../functions/adapters/queue-postgres.ts';
import type { JobQueue } from '../../functions/ports/queue.ts';
import { databaseKind, freshDatabase } from '../support/database.ts';

describe(`the embedded job queue (${databaseKind()})`, () => {
  let queue: JobQueue;
  let drop: () => Promise<void>;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const job = (nodeId: string, jobId: string) => ({ nodeId, jobId, jws: `jws-${jobId}`, notAfter: new Date(clock.now().getTime() + 60_000) });

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    queue = createPostgresJobQueue(db.handle.db, clock);
  });
  afterAll(async () => drop());

  it("hands each node only its own jobs, hides leased ones and hands them out again after the visibility timeout", async () => {
    await queue.enqueue(job('node-a', 'job_a1'));
    await queue.enqueue(job('node-b', 'job_b1'));
    const first = await queue.lease('node-a', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    expect(first.map((j) => j.jobId)).toEqual(['job_a1']);
    const b = await queue.lease('node-b', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    expect(b.map((j) => j.jobId)).toEqual(['job_b1']);
    expect(await queue.ack('node-b', b[0]!.receipt)).toBe(true);
    expect(await queue.lease('node-a', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
    offset += 31_000;
    const again = await queue.lease('node-a', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    expect(again.map((j) => j.jobId)).toEqual(['job_a1']);
    expect(again[0]?.receipt).not.toBe(first[0]?.receipt);
    expect(await queue.ack('node-a', first[0]!.receipt)).toBe(false);
    expect(await queue.ack('node-a', again[0]!.receipt)).toBe(true);
    offset += 31_000;
    expect(await queue.lease('node-a', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
    offset = 0;
  });

  it('wakes a waiting long-poll as soon as a job for its node is queued, and leaves no listener behind', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = queue.lease('node-c', { max: 1, visibilityMs: 30_000, waitMs: 5_000, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 600)); // several poll intervals: listeners must not pile up
    await queue.enqueue(job('node-c', 'job_c1'));
    const got = await waiting;
    expect(got.map((j) => j.jobId)).toEqual(['job_c1']);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('queues a whole fan-out in one call, wakes each waiting node and drops what has expired', async () => {
    const waiting = queue.lease('node-e', { max: 5, visibilityMs: 30_000, waitMs: 5_000 });
    const jobs = [job('node-e', 'job_e1'), job('node-f', 'job_f1'), job('node-f', 'job_f2')];
    const expired = { ...job('node-f', 'job_f3'), notAfter: new Date(clock.now().getTime() - 1) };
    expect(await queue.enqueueMany([...jobs, expired])).toEqual({ failed: [] });
    expect((await waiting).map((j) => [j.jobId, j.jws])).toEqual([['job_e1', 'jws-job_e1']]);
    const f = await queue.lease('node-f', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    expect(f.map((j) => j.jobId).sort()).toEqual(['job_f1', 'job_f2']);
  });

  it('reports every job of a fan-out as failed when the insert fails, and queues none', async () => {
    const bad = [job('node-g', 'job_g1'), { ...job('node-g', 'job_g2'), jws: 'nul\u0000byte' }];
    const { failed } = await queue.enqueueMany(bad);
    expect(failed.map((x) => x.jobId)).toEqual(['job_g1', 'job_g2']);
    expect(await queue.lease('node-g', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
  });

  it('drops a job whose signature has already expired instead of queueing it', async () => {
    await queue.enqueue({ ...job('node-d', 'job_d1'), notAfter: new Date(clock.now().getTime() - 1) });
    expect(await queue.lease('node-d', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
  });
});
