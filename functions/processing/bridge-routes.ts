import { and, gt, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { revokedGrantsSchema, runStatusReportSchema, uploadGrantSchema, uploadRequestSchema } from '../../shared/processing/bridge-api.ts';
import { nodeHealthSchema } from '../../shared/processing/health.ts';
import { runIdSchema } from '../../shared/processing/run.ts';
import { hubRouter, json, noContent } from '../api/hub-router.ts';
import { callingNode } from '../middleware/guards.ts';
import { accessGrants } from '../negotiation/negotiation.sql.ts';
import { touchNode } from '../nodes/node-repo.ts';
import { storeHealth } from './health-repo.ts';
import { recordRunStatus } from './run-status.ts';
import { grantUploads, receiveUpload } from './uploads.ts';

const runParam = z.object({ runId: runIdSchema });
const tokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an upload token') });

/**
 * The hub's side of the processing contract (shared/processing/bridge-api.ts), mounted under
 * /api/v1/bridge by the job routes. All but the upload endpoint need a node token; that one is
 * authorised by its single-use token alone, because the bridge PUTs to it exactly as to an S3 URL.
 */
export const processingBridgeRoutes = hubRouter({ tag: 'Bridge' })
  .add(
    {
      method: 'post',
      path: '/health',
      access: 'node',
      summary: "the node's health report (every 30 s)",
      request: { json: nodeHealthSchema },
      responses: { 204: noContent('Stored as the latest report.') },
    },
    async (c) => {
      const s = c.get('services');
      const nodeId = callingNode(c);
      const report = c.req.valid('json');
      await storeHealth(s, nodeId, report);
      await touchNode(s, nodeId, report.version);
      return c.body(null, 204);
    },
  )
  // Expired grants fail on their own; only revoked live ones need telling. Ids only: nothing personal.
  .add(
    {
      method: 'get',
      path: '/revoked-grants',
      access: 'node',
      summary: 'grants revoked and not yet expired (asked before every run)',
      responses: { 200: json(revokedGrantsSchema, 'Grant ids only.') },
    },
    async (c) => {
      const s = c.get('services');
      const rows = await s.db
        .select({ id: accessGrants.id })
        .from(accessGrants)
        .where(and(isNotNull(accessGrants.revokedAt), gt(accessGrants.expiresAt, s.clock.now())));
      return c.json({ revoked: rows.map((r) => r.id) });
    },
  )
  .add(
    {
      method: 'post',
      path: '/runs/:runId/status',
      access: 'node',
      rule: 'the node the run part belongs to',
      summary: "a run part's state: running, then ended with its outcome",
      request: { params: runParam, json: runStatusReportSchema },
      responses: { 204: noContent('Recorded.') },
      errors: { not_found: 'no part of this run on the calling node', conflict: 'the part cannot move to that state now' },
    },
    async (c) => {
      await recordRunStatus(c.get('services'), c.req.valid('param').runId, callingNode(c), c.req.valid('json'));
      return c.body(null, 204);
    },
  )
  .add(
    {
      method: 'post',
      path: '/runs/:runId/uploads',
      access: 'node',
      rule: 'the node the run part belongs to',
      summary: "one PUT URL per result file: pre-signed S3, or the hub's own",
      request: { params: runParam, json: uploadRequestSchema },
      responses: { 200: json(uploadGrantSchema, 'Where to PUT each file, with the headers each PUT must carry.') },
      errors: {
        not_found: 'no part of this run on the calling node',
        conflict: 'the part takes no uploads now',
        unprocessable: "the files do not fit the tool's output policy",
      },
    },
    async (c) => {
      const grant = await grantUploads(c.get('services'), c.req.valid('param').runId, callingNode(c), c.req.valid('json'));
      return c.json(grant);
    },
  )
  .add(
    {
      method: 'put',
      // Only a well-formed token makes the path public; anything else under the bridge prefix wants a node token.
      path: '/uploads/:token{[A-Za-z0-9_-]{43}}',
      access: 'upload-token',
      summary: "a run's log or allowed output; refused unless length and SHA-256 are the granted ones",
      description: 'Refused unless the length and SHA-256 are the granted ones; the token is spent by a successful upload.',
      request: {
        params: tokenParam,
        body: { description: 'The file, byte for byte.', content: { 'application/octet-stream': {} } },
      },
      responses: { 204: noContent('Stored.') },
      errors: {
        not_found: 'no such upload token (or already used, or expired)',
        unprocessable: 'the length or the SHA-256 is not the granted one',
      },
    },
    async (c) => {
      await receiveUpload(c.get('services'), c.req.valid('param').token, c.req.header('content-length'), c.req.raw.body);
      return c.body(null, 204);
    },
  );
