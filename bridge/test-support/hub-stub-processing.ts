import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { type RunStatusReport, runStatusReportSchema, uploadRequestSchema } from '../../shared/processing/bridge-api.ts';
import { type NodeHealth, nodeHealthSchema } from '../../shared/processing/health.ts';

/** What the hub stand-in records of the processing contract (shared/processing/bridge-api.ts). */
export interface ProcessingStub {
  health: { nodeId: string; body: NodeHealth }[];
  statuses: { nodeId: string; runId: string; body: RunStatusReport }[];
  /** Every PUT the stand-in received, with what it checked against the grant. */
  uploads: {
    nodeId: string;
    runId: string;
    kind: string;
    path: string;
    bytes: Buffer;
    sha256: string;
    accepted: boolean;
    headers: Record<string, string>;
  }[];
  uploadRequests: { nodeId: string; runId: string; files: { kind: string; path: string; bytes: number; sha256: string }[] }[];
  /** The next `n` status posts answer 503: the hub is briefly down. */
  failStatuses(n: number): void;
  /** Runs the stand-in answers 404 for, as a hub does for a node with no part in the run. */
  unknownRuns: Set<string>;
  /** Grant ids the stand-in lists as revoked; `revokedListDown` makes the list answer 503. */
  revokedGrants: Set<string>;
  revokedListDown: boolean;
}

type Env = { Variables: { nodeId: string; body: string } };
const UPLOAD_HEADER = 'x-stub-upload-check';

/**
 * The hub's processing routes, for the bridge's tests: health and status are recorded; an upload
 * request gets one PUT URL per file on the stand-in itself, bound to the size and SHA-256 asked for,
 * and carrying a header the PUT must echo, so a bridge that drops the given headers is caught.
 */
export function mountProcessingStub(app: Hono<Env>, origin: () => string): ProcessingStub {
  let failing = 0;
  const granted = new Map<
    string,
    { nodeId: string; runId: string; kind: string; path: string; bytes: number; sha256: string; check: string }
  >();
  const stub: ProcessingStub = {
    health: [],
    statuses: [],
    uploads: [],
    uploadRequests: [],
    unknownRuns: new Set(),
    revokedGrants: new Set(),
    revokedListDown: false,
    failStatuses: (n) => {
      failing = n;
    },
  };
  app.get('/api/v1/bridge/revoked-grants', (c) => {
    if (stub.revokedListDown) return c.json({ error: { code: 'unavailable', message: 'try later', requestId: 'stub' } }, 503);
    return c.json({ revoked: [...stub.revokedGrants] });
  });
  app.post('/api/v1/bridge/health', (c) => {
    stub.health.push({ nodeId: c.var.nodeId, body: nodeHealthSchema.parse(JSON.parse(c.var.body)) });
    return c.body(null, 204);
  });
  app.post('/api/v1/bridge/runs/:runId/status', (c) => {
    if (failing > 0) {
      failing--;
      return c.json({ error: { code: 'unavailable', message: 'try later', requestId: 'stub' } }, 503);
    }
    if (stub.unknownRuns.has(c.req.param('runId')))
      return c.json({ error: { code: 'not_found', message: 'no part in this run', requestId: 'stub' } }, 404);
    stub.statuses.push({ nodeId: c.var.nodeId, runId: c.req.param('runId'), body: runStatusReportSchema.parse(JSON.parse(c.var.body)) });
    return c.body(null, 204);
  });
  app.post('/api/v1/bridge/runs/:runId/uploads', (c) => {
    const body = uploadRequestSchema.parse(JSON.parse(c.var.body));
    const runId = c.req.param('runId');
    stub.uploadRequests.push({ nodeId: c.var.nodeId, runId, files: body.files });
    const uploads = body.files.map((f) => {
      const token = crypto.randomUUID();
      const check = crypto.randomUUID();
      granted.set(token, { nodeId: c.var.nodeId, runId, ...f, check });
      return {
        kind: f.kind,
        path: f.path,
        method: 'PUT' as const,
        url: `${origin()}/stub-uploads/${token}`,
        headers: { 'content-length': String(f.bytes), [UPLOAD_HEADER]: check },
        expiresAt: Date.now() + 60_000,
      };
    });
    return c.json({ uploads });
  });
  app.put('/stub-uploads/:token', async (c) => {
    const grant = granted.get(c.req.param('token'));
    if (!grant) return c.json({ error: { code: 'not_found', message: 'unknown or used upload URL', requestId: 'stub' } }, 404);
    granted.delete(c.req.param('token'));
    const bytes = Buffer.from(await c.req.arrayBuffer());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const accepted = bytes.length === grant.bytes && sha256 === grant.sha256 && c.req.header(UPLOAD_HEADER) === grant.check;
    stub.uploads.push({
      nodeId: grant.nodeId,
      runId: grant.runId,
      kind: grant.kind,
      path: grant.path,
      bytes,
      sha256,
      accepted,
      headers: c.req.header(),
    });
    return accepted
      ? c.body(null, 200)
      : c.json({ error: { code: 'bad_request', message: 'length, hash or headers differ from the grant', requestId: 'stub' } }, 400);
  });
  return stub;
}
