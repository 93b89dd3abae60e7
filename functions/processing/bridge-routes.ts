import { and, gt, isNotNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { runStatusReportSchema, uploadRequestSchema } from '../../shared/processing/bridge-api.ts';
import { nodeHealthSchema } from '../../shared/processing/health.ts';
import { runIdSchema } from '../../shared/processing/run.ts';
import type { HubEnv } from '../env.ts';
import { callingNode, requireNode } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { accessGrants } from '../negotiation/negotiation.sql.ts';
import { touchNode } from '../nodes/node-repo.ts';
import { storeHealth } from './health-repo.ts';
import { recordRunStatus } from './run-status.ts';
import { grantUploads, receiveUpload } from './uploads.ts';

const runParam = z.object({ runId: runIdSchema });
const tokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an upload token') });

/**
 * The hub's side of the processing contract (shared/processing/bridge-api.ts), mounted at
 * /api/v1/bridge beside the job routes. All but the upload endpoint need a node token; that one is
 * authorised by its single-use token alone, because the bridge PUTs to it exactly as to an S3 URL.
 */
export const processingBridgeRoutes = new Hono<HubEnv>()
  .post('/health', requireNode, validate('json', nodeHealthSchema), async (c) => {
    const s = c.get('services');
    const nodeId = callingNode(c);
    const report = c.req.valid('json');
    await storeHealth(s, nodeId, report);
    await touchNode(s, nodeId, report.version);
    return c.body(null, 204);
  })
  // Expired grants fail on their own; only revoked live ones need telling. Ids only: nothing personal.
  .get('/revoked-grants', requireNode, async (c) => {
    const s = c.get('services');
    const rows = await s.db
      .select({ id: accessGrants.id })
      .from(accessGrants)
      .where(and(isNotNull(accessGrants.revokedAt), gt(accessGrants.expiresAt, s.clock.now())));
    return c.json({ revoked: rows.map((r) => r.id) });
  })
  .post('/runs/:runId/status', requireNode, validate('param', runParam), validate('json', runStatusReportSchema), async (c) => {
    await recordRunStatus(c.get('services'), c.req.valid('param').runId, callingNode(c), c.req.valid('json'));
    return c.body(null, 204);
  })
  .post('/runs/:runId/uploads', requireNode, validate('param', runParam), validate('json', uploadRequestSchema), async (c) => {
    const grant = await grantUploads(c.get('services'), c.req.valid('param').runId, callingNode(c), c.req.valid('json'));
    return c.json(grant);
  })
  .put('/uploads/:token', validate('param', tokenParam), async (c) => {
    await receiveUpload(c.get('services'), c.req.valid('param').token, c.req.header('content-length'), c.req.raw.body);
    return c.body(null, 204);
  });
