import type { SQSEvent } from 'aws-lambda';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, nodes, searchNodes, searches } from '../../functions/db/schema.ts';
import { createSqsHandler } from '../../functions/runtime/lambda.ts';
import { newId } from '../../shared/ids.ts';
import { loadFixture, startLambdaHub } from './lambda-hub.ts';

type Hub = Awaited<ReturnType<typeof startLambdaHub>>;

const NOW = new Date('2026-05-03T10:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('the SQS consumer of hub tasks', () => {
  let hub: Hub;
  let handler: ReturnType<typeof createSqsHandler>;
  const nodeIds = [`node-${crypto.randomUUID().slice(0, 8)}`, `node-${crypto.randomUUID().slice(0, 8)}`];

  /** A search fanned out to both nodes, every node still pending. */
  async function pendingSearch(deadlineAt: Date) {
    const searchId = newId('srch', NOW.getTime());
    const planned = nodeIds.map((nodeId) => ({ nodeId, jobId: newId('job', NOW.getTime()) }));
    await hub.db
      .insert(searches)
      .values({ id: searchId, owner: 'lambda-researcher', query: { operand: 'OR', children: [] }, deadlineAt, createdAt: minutes(-5) });
    await hub.db
      .insert(jobs)
      .values(planned.map((p) => ({ id: p.jobId, nodeId: p.nodeId, kind: 'search.count', expiresAt: deadlineAt, createdAt: minutes(-5) })));
    await hub.db.insert(searchNodes).values(planned.map((p) => ({ searchId, nodeId: p.nodeId, jobId: p.jobId })));
    return searchId;
  }

  const statuses = async (searchId: string) =>
    (await hub.db.select({ status: searchNodes.status }).from(searchNodes).where(eq(searchNodes.searchId, searchId))).map((r) => r.status);

  /** The fixture batch: a deadline task (body set here), a truncated JSON body, an unknown task type. */
  async function batch(searchId: string) {
    const event = await loadFixture<SQSEvent>('sqs-batch.json');
    const [valid] = event.Records;
    if (!valid) throw new Error('fixture has no records');
    valid.body = JSON.stringify({ type: 'search.deadline', searchId });
    return event;
  }

  beforeAll(async () => {
    hub = await startLambdaHub({ clock: { now: () => NOW } });
    await hub.db
      .insert(nodes)
      .values(nodeIds.map((id) => ({ id, name: id, publicJwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: 'B'.repeat(43) } })));
    handler = createSqsHandler(async () => hub.services);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('times out the pending nodes of a search whose deadline has passed', async () => {
    const searchId = await pendingSearch(minutes(-1));
    const event = await batch(searchId);
    const res = await handler({ Records: event.Records.slice(0, 1) });
    expect(res.batchItemFailures).toEqual([]);
    expect(await statuses(searchId)).toEqual(['timed_out', 'timed_out']);
    const failedJobs = await hub.db
      .select({ status: jobs.status })
      .from(jobs)
      .where(eq(jobs.nodeId, nodeIds[0] as string));
    expect(failedJobs.map((j) => j.status)).toContain('failed');
  });

  it('leaves a search alone when its deadline task arrives early', async () => {
    const searchId = await pendingSearch(minutes(10));
    const res = await handler({ Records: (await batch(searchId)).Records.slice(0, 1) });
    expect(res.batchItemFailures).toEqual([]);
    expect(await statuses(searchId)).toEqual(['pending', 'pending']);
  });

  it('reports only the malformed records of a batch as failures', async () => {
    const searchId = await pendingSearch(minutes(-1));
    const event = await batch(searchId);
    const res = await handler(event);
    expect(res.batchItemFailures).toEqual([
      { itemIdentifier: '0a8c1b2e-2222-4c4e-9d1a-000000000002' },
      { itemIdentifier: '0a8c1b2e-3333-4c4e-9d1a-000000000003' },
    ]);
    // The good record in the same batch still did its work.
    expect(await statuses(searchId)).toEqual(['timed_out', 'timed_out']);
  });
});
