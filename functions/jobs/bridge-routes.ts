import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { heartbeatSchema, jobResultSchema, leasedJobsSchema, nodeReportSchema } from '../../shared/job-protocol.ts';
import { ed25519PublicJwkSchema } from '../../shared/node-auth.ts';
import { defineRoute, hubRouter, json, noContent } from '../api/hub-router.ts';
import { callingNode } from '../middleware/guards.ts';
import { pruneUsedTokens, storeCapabilities, touchNode } from '../nodes/node-repo.ts';
import { nodeDatasets, nodeReports } from '../nodes/nodes.sql.ts';
import { recordSearchAnswer, type SearchOutcome } from '../search/search-service.ts';
import { processingBridgeRoutes } from '../processing/bridge-routes.ts';
import { jobs } from './jobs.sql.ts';

const takenSchema = z.object({ receipt: z.string().min(1).max(2000) }).strict();

const leaseQuery = z.object({
  wait: z.coerce.number().int().min(0).max(20).default(20),
  max: z.coerce.number().int().min(1).max(10).default(5),
});

// The routes, declared once each; the handlers below take them in order.
const jobKeysSchema = z.object({
  issuer: z.string(),
  keys: z.array(ed25519PublicJwkSchema.extend({ kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
});
const jobIdParam = z.object({ jobId: z.string() });
const jobKeys = defineRoute({
  method: 'get',
  path: '/job-keys',
  access: 'public',
  summary: "the hub's public job-signing keys",
  description: 'The Ed25519 keys bridges verify signed jobs with. Public: a bridge may send its node token, which is not read.',
  responses: { 200: json(jobKeysSchema, 'The issuer and its keys.') },
});
const lease = defineRoute({
  method: 'get',
  path: '/jobs',
  access: 'node',
  summary: "lease the node's signed jobs (long-poll up to `wait` seconds)",
  request: { query: leaseQuery },
  responses: { 200: json(leasedJobsSchema, 'Jobs as signed JWS with their lease receipts; empty when none came in time.') },
  errors: { conflict: 'this hub delivers jobs through the node queue (SQS)' },
});
const result = defineRoute({
  method: 'post',
  path: '/jobs/:jobId/result',
  access: 'node',
  summary: "a search job's answer: counts, unsupported keys or an error",
  request: { params: jobIdParam, json: jobResultSchema },
  responses: { 200: json(z.object({ recorded: z.boolean() }), 'Whether the answer was recorded (false once the deadline passed).') },
  errors: { not_found: 'no job of this node' },
});
const taken = defineRoute({
  method: 'post',
  path: '/jobs/:jobId/taken',
  access: 'node',
  summary: 'a processing job claimed: out of the queue',
  request: { params: jobIdParam, json: takenSchema },
  responses: { 204: noContent('Released from the queue.') },
  errors: { not_found: 'no job of this node is leased under that receipt' },
});
const reports = defineRoute({
  method: 'post',
  path: '/reports',
  access: 'node',
  summary: 'a refused job or a problem the hub should know about',
  request: { json: nodeReportSchema },
  responses: { 202: json(z.object({ accepted: z.boolean() }), 'Recorded; a refused job leaves the queue.') },
});
const heartbeat = defineRoute({
  method: 'post',
  path: '/heartbeat',
  access: 'node',
  summary: 'sign of life: version, datasets served and capabilities',
  request: { json: heartbeatSchema },
  responses: { 200: json(z.object({ ok: z.boolean(), serverTime: z.iso.datetime() }), 'Seen.') },
});

/**
 * The hub side of the bridge protocol, mounted at /api/v1/bridge with the processing contract
 * (processing/bridge-routes.ts). Every route but the public key list needs a node-signed token.
 */
export const bridgeRoutes = hubRouter({ tag: 'Bridge' })
  .add(jobKeys, (c) => {
    const { jobSigner } = c.get('services');
    return c.json({ issuer: jobSigner.issuer, keys: jobSigner.publicKeys() });
  })
  .add(lease, async (c) => {
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
  .add(result, async (c) => {
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
  .add(taken, async (c) => {
    const s = c.get('services');
    // The receipt is scoped to the calling node's own leases: a node can only release its own jobs.
    const acked = await s.jobQueue.ack(callingNode(c), c.req.valid('json').receipt);
    if (!acked) throw new AppError('not_found', 'no job of this node is leased under that receipt');
    return c.body(null, 204);
  })
  .add(reports, async (c) => {
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
  .add(heartbeat, async (c) => {
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
  })
  .route('/', processingBridgeRoutes);
