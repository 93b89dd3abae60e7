import { getEventListeners } from 'node:events';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresJobQueue } from '../../functions/adapters/queue-postgres.ts';
import { jobQueue } from '../../functions/adapters/queue-postgres.sql.ts';
import type { JobQueue } from '../../functions/ports/queue.ts';
import { databaseKind, freshDatabase } from '../support/database.ts';

describe(`the embedded job queue (${databaseKind()})`, () => {
  let queue: JobQueue;
  let drop: () => Promise<void>;
  let leaseStatements = 0;
  let rowOf: (jobId: string) => Promise<{ receipt: string | null; deliveries: number; hidden: boolean } | undefined>;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const job = (nodeId: string, jobId: string) => ({
    nodeId,
    jobId,
    jws: `jws-${jobId}`,
    notAfter: new Date(clock.now().getTime() + 60_000),
  });

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    // Counts the lease statements (the only raw statements the queue runs) to tell a hand-off from a lease.
    const counted = new Proxy(db.handle.db, {
      get(target, prop, receiver) {
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return (...args: unknown[]) => {
          leaseStatements += 1;
          return (target.execute as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    queue = createPostgresJobQueue(counted, clock);
    rowOf = async (jobId) => {
      const [row] = await db.handle.db.select().from(jobQueue).where(eq(jobQueue.jobId, jobId));
      return row && { receipt: row.receipt, deliveries: row.deliveries, hidden: row.visibleAt.getTime() > clock.now().getTime() };
    };
  });
  afterAll(async () => drop());

  it('hands each node only its own jobs, hides leased ones and hands them out again after the visibility timeout', async () => {
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

  it('hands a job to a poll waiting in this process at enqueue, recorded as leased, without another lease statement', async () => {
    const waiting = queue.lease('node-h', { max: 5, visibilityMs: 30_000, waitMs: 5_000 });
    await new Promise((r) => setTimeout(r, 50)); // the poll has found nothing and sleeps
    const before = leaseStatements;
    await queue.enqueue(job('node-h', 'job_h1'));
    const got = await waiting;
    expect(got.map((j) => [j.jobId, j.jws])).toEqual([['job_h1', 'jws-job_h1']]);
    expect(leaseStatements - before, 'the waiting poll ran a lease statement instead of being handed its job').toBe(0);
    expect(await rowOf('job_h1')).toEqual({ receipt: got[0]!.receipt, deliveries: 1, hidden: true });
    expect(await queue.lease('node-h', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
    expect(await queue.ack('node-h', got[0]!.receipt)).toBe(true);
  });

  it("hands each job of a fan-out to exactly one of several waiting polls, up to each poll's max", async () => {
    const polls = [1, 2, 3].map(() => queue.lease('node-i', { max: 1, visibilityMs: 30_000, waitMs: 1_500 }));
    await new Promise((r) => setTimeout(r, 50));
    expect(await queue.enqueueMany([job('node-i', 'job_i1'), job('node-i', 'job_i2')])).toEqual({ failed: [] });
    const got = (await Promise.all(polls)).map((jobs) => jobs.map((j) => j.jobId));
    expect(got.flat().sort()).toEqual(['job_i1', 'job_i2']);
    expect(got.map((ids) => ids.length).sort()).toEqual([0, 1, 1]);
    expect(await queue.lease('node-i', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
  });

  it("makes a handed job visible again after the visibility timeout when the poll's connection died before delivery", async () => {
    const controller = new AbortController();
    const waiting = queue.lease('node-j', { max: 5, visibilityMs: 30_000, waitMs: 5_000, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    const queued = queue.enqueue(job('node-j', 'job_j1'));
    controller.abort(); // the bridge hung up while the job was being handed over
    await queued;
    const lost = await waiting; // what the route would have written to a closed connection
    expect(lost.map((j) => j.jobId)).toEqual(['job_j1']);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(await queue.lease('node-j', { max: 5, visibilityMs: 30_000, waitMs: 0 })).toEqual([]);
    offset += 31_000;
    const again = await queue.lease('node-j', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    offset = 0;
    expect(again.map((j) => j.jobId)).toEqual(['job_j1']);
    expect(again[0]?.receipt).not.toBe(lost[0]?.receipt);
    expect((await rowOf('job_j1'))?.deliveries).toBe(2);
  });

  it('hands a waiting poll nothing when its job id was already queued, and releases it when the insert fails', async () => {
    await queue.enqueue(job('node-k', 'job_k1'));
    const first = await queue.lease('node-k', { max: 5, visibilityMs: 30_000, waitMs: 0 });
    const waiting = queue.lease('node-k', { max: 5, visibilityMs: 30_000, waitMs: 600 });
    await new Promise((r) => setTimeout(r, 50));
    await queue.enqueue(job('node-k', 'job_k1')); // a retried dispatch: the row exists and stays leased to the first poll
    expect(await queue.enqueueMany([{ ...job('node-k', 'job_k2'), jws: 'nul\u0000byte' }])).toMatchObject({
      failed: [{ jobId: 'job_k2' }],
    });
    expect(await waiting).toEqual([]);
    expect(await rowOf('job_k1')).toEqual({ receipt: first[0]!.receipt, deliveries: 1, hidden: true });
  });
});
