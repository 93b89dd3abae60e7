import { and, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { heartbeatSchema, jobResultSchema, nodeReportSchema } from '../../shared/job-protocol.ts';
import type { HubEnv } from '../env.ts';
import { callingNode, requireNode } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { pruneUsedTokens, storeCapabilities, touchNode } from '../nodes/node-repo.ts';
import { nodeDatasets, nodeReports } from '../nodes/nodes.sql.ts';
import { recordSearchAnswer, type SearchOutcome } from '../search/search-service.ts';
import { jobs } from './jobs.sql.ts';

const takenSchema = z.object({ receipt: z.string().min(1).max(2000) }).strict();

const leaseQuery = z.object({
  wait: z.coerce.number().int().min(0).max(20).default(20),
  max: z.coerce.number().int().min(1).max(10).default(5),
});

/** The hub side of the bridge protocol. Every route but the public key list needs a node token. */
export const bridgeRoutes = new Hono<HubEnv>()
  .get('/job-keys', (c) => {
    const { jobSigner } = c.get('services');
    return c.json({ issuer: jobSigner.issuer, keys: jobSigner.publicKeys() });
  })
  .get('/jobs', requireNode, validate('query', leaseQuery), async (c) => {
    const s = c.get('services');
    if (s.jobQueue.kind !== 'postgres') throw new AppError('conflict', 'this hub delivers jobs through the node queue (SQS)');
    const { wait, max } = c.req.valid('query');
    const leased = await s.jobQueue.lease(callingNode(c), {
      max,
      waitMs: wait * 1000,
      visibilityMs: 30_000,
      signal: c.req.raw.signal,
    });
    return c.json({ jobs: leased.map((j) => ({ receipt: j.receipt, jws: j.jws })) });
  })
  .post('/jobs/:jobId/result', requireNode, validate('json', jobResultSchema), async (c) => {
    const s = c.get('services');
    const nodeId = callingNode(c);
    const jobId = c.req.param('jobId');
    const body = c.req.valid('json');
    // Search counts are the only job kind with results; recordSearchAnswer refuses a job of another node.
    const outcome: SearchOutcome =
      body.status === 'answered'
        ? { status: body.status, result: body.result }
        : body.status === 'unsupported'
          ? { status: body.status, unsupportedKeys: body.unsupported_keys }
          : { status: body.status, error: body.error };
    const { recorded } = await recordSearchAnswer(s, nodeId, jobId, outcome);
    if (body.receipt) await s.jobQueue.ack(nodeId, body.receipt).catch(() => false);
    return c.json({ recorded });
  })
  // A processing job whose run the node claimed: its outcome travels through the run's status route,
  // so the job leaves the queue now instead of coming back as a replay at the visibility timeout.
  .post('/jobs/:jobId/taken', requireNode, validate('json', takenSchema), async (c) => {
    const s = c.get('services');
    // The receipt is scoped to the calling node's own leases: a node can only release its own jobs.
    const acked = await s.jobQueue.ack(callingNode(c), c.req.valid('json').receipt);
    if (!acked) throw new AppError('not_found', 'no job of this node is leased under that receipt');
    return c.body(null, 204);
  })
  .post('/reports', requireNode, validate('json', nodeReportSchema), async (c) => {
    const s = c.get('services');
    const nodeId = callingNode(c);
    const report = c.req.valid('json');
    await s.db
      .insert(nodeReports)
      .values({ id: newId('evt'), nodeId, jobId: report.jobId ?? null, reason: report.reason, message: report.message });
    if (report.jobId) {
      await s.db
        .update(jobs)
        .set({ status: 'refused', completedAt: s.clock.now() })
        .where(and(eq(jobs.id, report.jobId), eq(jobs.nodeId, nodeId), eq(jobs.status, 'dispatched')));
    }
    // A refused job would otherwise come back at every visibility timeout until it expires.
    if (report.receipt) await s.jobQueue.ack(nodeId, report.receipt).catch(() => false);
    c.get('log').warn('node report', { nodeId, jobId: report.jobId, reason: report.reason });
    return c.json({ accepted: true }, 202);
  })
  .post('/heartbeat', requireNode, validate('json', heartbeatSchema), async (c) => {
    const s = c.get('services');
    const nodeId = callingNode(c);
    const body = c.req.valid('json');
    await touchNode(s, nodeId, body.version, body.protocol);
    if (body.capabilities) await storeCapabilities(s, nodeId, body.capabilities);
    for (const d of body.datasets) {
      await s.db
        .insert(nodeDatasets)
        .values({ nodeId, datasetId: d.id, name: d.name })
        .onConflictDoUpdate({ target: [nodeDatasets.nodeId, nodeDatasets.datasetId], set: { name: d.name, updatedAt: sql`now()` } });
    }
    await pruneUsedTokens(s);
    return c.json({ ok: true, serverTime: s.clock.now().toISOString() });
  });
