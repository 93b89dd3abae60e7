import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsJobQueue, queueUrlTemplate } from '../../functions/adapters/queue-sqs.ts';
import type { JobQueue, QueuedJob } from '../../functions/ports/queue.ts';
import { type SqsServer, startSqsServer } from '../support/aws-servers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// local-aws-sqs answers a receive with no wait after ~40 ms; real SQS at once.
const NOW = { max: 10, visibilityMs: 30_000, waitMs: 0 };

describe('SQS job queue', () => {
  let sqs: SqsServer;
  let client: SQSClient;
  let queue: JobQueue;

  /** A node with its own fresh queue, so no test sees another's messages. */
  async function newNode(): Promise<string> {
    const nodeId = `node-${randomUUID().slice(0, 8)}`;
    await sqs.createQueue(`eucaim-node-${nodeId}`);
    return nodeId;
  }
  const job = (nodeId: string, over: Partial<QueuedJob> = {}): QueuedJob => ({
    nodeId,
    jobId: `job_${randomUUID()}`,
    jws: `eyJhbGciOiJFZERTQSJ9.${randomUUID()}.sig`,
    notAfter: new Date(Date.now() + 60_000),
    ...over,
  });

  beforeAll(async () => {
    sqs = await startSqsServer();
    client = sqs.client();
    queue = createSqsJobQueue({ client, queueUrlFor: queueUrlTemplate(`${sqs.endpoint}/000000000000/eucaim-node-{nodeId}`) });
  });
  afterAll(async () => {
    await sqs?.close();
  });

  it('hands each node only its own jobs', async () => {
    const [a, b] = [await newNode(), await newNode()];
    const forA = [job(a), job(a)];
    const forB = job(b);
    for (const j of [...forA, forB]) await queue.enqueue(j);
    const leasedA = await queue.lease(a, NOW);
    const leasedB = await queue.lease(b, NOW);
    expect(leasedA.map((l) => l.jobId).sort()).toEqual(forA.map((j) => j.jobId).sort());
    expect(leasedA.map((l) => l.jws).sort()).toEqual(forA.map((j) => j.jws).sort());
    expect(leasedB.map((l) => [l.jobId, l.jws])).toEqual([[forB.jobId, forB.jws]]);
  });

  it('hands out a job again when its lease runs out unacknowledged', async () => {
    const node = await newNode();
    const sent = job(node);
    await queue.enqueue(sent);
    const [first] = await queue.lease(node, { max: 1, visibilityMs: 1_000, waitMs: 0 });
    expect(first?.jobId).toBe(sent.jobId);
    expect(await queue.lease(node, NOW), 'hidden while leased').toEqual([]);
    const started = Date.now();
    const [again] = await queue.lease(node, { max: 1, visibilityMs: 30_000, waitMs: 5_000 });
    expect(again?.jobId).toBe(sent.jobId);
    expect(again?.receipt).not.toBe(first?.receipt);
    expect(Date.now() - started, 'came back by itself, not at once').toBeGreaterThan(300);
    expect(await queue.ack(node, again!.receipt)).toBe(true);
  });

  it('removes an acknowledged job for good', async () => {
    const node = await newNode();
    await queue.enqueue(job(node));
    const [leased] = await queue.lease(node, { max: 1, visibilityMs: 1_000, waitMs: 0 });
    expect(await queue.ack(node, leased!.receipt)).toBe(true);
    await sleep(1_300); // past the visibility timeout: an unacknowledged job would be back
    expect(await queue.lease(node, NOW)).toEqual([]);
  });

  it('answers false for a garbage receipt or one from another node', async () => {
    const [node, other] = [await newNode(), await newNode()];
    const sent = job(node);
    await queue.enqueue(sent);
    const [leased] = await queue.lease(node, { max: 1, visibilityMs: 1_000, waitMs: 0 });
    expect(await queue.ack(node, 'not-a-receipt')).toBe(false);
    expect(await queue.ack(node, '')).toBe(false);
    expect(await queue.ack(other, leased!.receipt)).toBe(false);
    // Neither removed it: it comes back once the lease runs out.
    const [back] = await queue.lease(node, { max: 1, visibilityMs: 30_000, waitMs: 5_000 });
    expect(back?.jobId).toBe(sent.jobId);
  });

  it('returns from a long poll as soon as a job arrives', async () => {
    const node = await newNode();
    const sent = job(node);
    const started = Date.now();
    setTimeout(() => void queue.enqueue(sent), 300);
    // max 1: local-aws-sqs, unlike SQS, keeps polling until `max` messages are in hand.
    const leased = await queue.lease(node, { max: 1, visibilityMs: 30_000, waitMs: 10_000 });
    const took = Date.now() - started;
    expect(leased.map((l) => l.jobId)).toEqual([sent.jobId]);
    expect(took, 'waited for the job').toBeGreaterThanOrEqual(250);
    expect(took, 'returned well before the 10 s wait').toBeLessThan(5_000);
  });

  it('stops a long poll when its signal aborts', async () => {
    const node = await newNode();
    const started = Date.now();
    const leased = await queue.lease(node, { max: 1, visibilityMs: 30_000, waitMs: 10_000, signal: AbortSignal.timeout(200) });
    expect(leased).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not send a job whose signature has already expired', async () => {
    const node = await newNode();
    const expired = job(node, { notAfter: new Date(Date.now() - 1_000) });
    const live = job(node);
    await queue.enqueue(expired);
    await queue.enqueue(live);
    expect((await queue.lease(node, NOW)).map((l) => l.jobId)).toEqual([live.jobId]);
  });

  it('sends a whole fan-out in batches of ten per node queue, and names the jobs whose queue is missing', async () => {
    const [a, b] = [await newNode(), await newNode()];
    const missing = `node-${randomUUID().slice(0, 8)}`; // never created: SQS refuses its batch
    const forA = Array.from({ length: 13 }, () => job(a));
    const forB = job(b);
    const lost = job(missing);
    const expired = job(a, { notAfter: new Date(Date.now() - 1_000) });
    const { failed } = await queue.enqueueMany([...forA, forB, lost, expired]);
    expect(failed.map((f) => [f.jobId, f.nodeId])).toEqual([[lost.jobId, missing]]);
    const leasedA = [...(await queue.lease(a, NOW)), ...(await queue.lease(a, NOW))];
    expect(leasedA.map((l) => l.jobId).sort()).toEqual(forA.map((j) => j.jobId).sort());
    expect(leasedA.find((l) => l.jobId === forA[12]!.jobId)?.jws).toBe(forA[12]!.jws);
    expect((await queue.lease(b, NOW)).map((l) => [l.jobId, l.jws])).toEqual([[forB.jobId, forB.jws]]);
  });

  it('asks SQS for at most ten jobs however many are wanted', async () => {
    const node = await newNode();
    for (let i = 0; i < 12; i++) await queue.enqueue(job(node));
    const leased = await queue.lease(node, { ...NOW, max: 50 });
    expect(leased).toHaveLength(10);
    expect(new Set(leased.map((l) => l.jobId)).size).toBe(10);
  });
});

describe('queueUrlTemplate', () => {
  const urlFor = queueUrlTemplate('https://sqs.eu-west-1.amazonaws.com/123456789012/eucaim-node-{nodeId}');

  it('puts the node id into the queue name', () => {
    expect(urlFor('umcg-01')).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/eucaim-node-umcg-01');
  });

  it.each(['../admin', 'a/b', 'Upper', '-lead', 'x', 'a'.repeat(64), 'a?b', 'node%2f', ''])('refuses the node id %j', (nodeId) => {
    expect(() => urlFor(nodeId)).toThrow(/node id/);
  });

  it('refuses a template without a {nodeId} place', () => {
    expect(() => queueUrlTemplate('https://sqs.eu-west-1.amazonaws.com/123456789012/jobs')).toThrow(/\{nodeId\}/);
  });
});
