import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type JobBody, type JobResult, type NodeReport, jobResultSchema, nodeReportSchema, signJob } from '../../shared/job-protocol.ts';
import { type PrivateJwk, type PublicJwk, generateNodeKeyPair, verifyNodeRequest } from '../../shared/node-auth.ts';
import { type Heartbeat, heartbeatSchema } from '../hub-client.ts';
import { type ProcessingStub, mountProcessingStub } from './hub-stub-processing.ts';

/**
 * A stand-in for the hub's side of the bridge contract, for tests only: it serves signed jobs, checks
 * every call with `verifyNodeRequest` (and refuses reused token ids), and records what bridges send.
 */
export interface HubStub {
  url: string;
  audience: string;
  issuer: string;
  jobKey: { privateJwk: PrivateJwk; publicJwk: PublicJwk & { kid: string } };
  /** Signs a search.count job for `nodeId` with the stub's job key (or the given overrides). */
  signJob(input: {
    jobId: string;
    nodeId: string;
    body?: JobBody;
    ttlSeconds?: number;
    nowMs?: number;
    privateJwk?: PrivateJwk;
    issuer?: string;
  }): Promise<string>;
  enqueue(nodeId: string, jws: string): void;
  results: { nodeId: string; jobId: string; body: JobResult }[];
  /** Processing jobs the bridge said it took, with the lease receipt. */
  taken: { nodeId: string; jobId: string; receipt: string }[];
  reports: { nodeId: string; body: NodeReport }[];
  heartbeats: { nodeId: string; body: Heartbeat }[];
  authFailures: string[];
  /** The next `n` result posts answer 503, to exercise the bridge's retries. */
  failResults(n: number): void;
  waitFor(what: () => boolean, timeoutMs?: number): Promise<void>;
  /** Health, run status and uploads of the processing contract. */
  processing: ProcessingStub;
  close(): Promise<void>;
}

export async function startHubStub(opts: { nodes: Record<string, PublicJwk> }): Promise<HubStub> {
  const pair = await generateNodeKeyPair();
  const jobKey = { privateJwk: pair.privateJwk, publicJwk: { ...pair.publicJwk, kid: 'stub-job-key-1' } };
  const queues = new Map<string, string[]>();
  const usedJti = new Set<string>();
  let failingResults = 0;
  let receipts = 0;
  let audience = '';
  const stub = { results: [], taken: [], reports: [], heartbeats: [], authFailures: [] } as unknown as HubStub;

  const app = new Hono<{ Variables: { nodeId: string; body: string } }>();
  app.use('/api/v1/bridge/*', async (c, next) => {
    const body = await c.req.text();
    const url = new URL(c.req.url);
    // As at the hub: the job keys are public, so a bridge reads them without a token.
    if (c.req.method === 'GET' && url.pathname === '/api/v1/bridge/job-keys') return next();
    try {
      const claims = await verifyNodeRequest({
        token: (c.req.header('authorization') ?? '').replace(/^Bearer /, ''),
        audience,
        method: c.req.method,
        path: url.pathname + url.search,
        body,
        publicJwkFor: async (id) => opts.nodes[id],
      });
      if (usedJti.has(claims.jti)) throw new Error('token reused');
      usedJti.add(claims.jti);
      c.set('nodeId', claims.iss);
      c.set('body', body);
    } catch (err) {
      stub.authFailures.push(`${c.req.method} ${url.pathname}: ${(err as Error).message}`);
      return c.json({ error: { code: 'unauthenticated', message: 'node authentication failed', requestId: 'stub' } }, 401);
    }
    await next();
  });
  app.get('/api/v1/bridge/job-keys', (c) => c.json({ issuer: stub.issuer, keys: [jobKey.publicJwk] }));
  app.get('/api/v1/bridge/jobs', async (c) => {
    const max = Number(c.req.query('max') ?? 5);
    const queue = queues.get(c.var.nodeId) ?? [];
    // A short wait instead of the real long poll keeps tests fast while still not spinning.
    if (queue.length === 0) await new Promise((r) => setTimeout(r, 50));
    // A bridge that stopped mid-poll never sees this answer: the real hub's lease would expire and
    // redeliver; the stub puts the jobs back instead, so the next bridge in a test gets them.
    const signal = c.req.raw.signal;
    if (signal.aborted) return c.json({ jobs: [] });
    const taken = queue.splice(0, max);
    signal.addEventListener('abort', () => queue.unshift(...taken), { once: true });
    return c.json({ jobs: taken.map((jws) => ({ receipt: `rcpt-${++receipts}`, jws })) });
  });
  app.post('/api/v1/bridge/jobs/:jobId/taken', (c) => {
    const { receipt } = JSON.parse(c.var.body) as { receipt: string };
    stub.taken.push({ nodeId: c.var.nodeId, jobId: c.req.param('jobId'), receipt });
    return c.body(null, 204);
  });
  app.post('/api/v1/bridge/jobs/:jobId/result', (c) => {
    if (failingResults > 0) {
      failingResults--;
      return c.json({ error: { code: 'unavailable', message: 'try later', requestId: 'stub' } }, 503);
    }
    const body = jobResultSchema.parse(JSON.parse(c.var.body));
    stub.results.push({ nodeId: c.var.nodeId, jobId: c.req.param('jobId'), body });
    return c.json({ ok: true });
  });
  app.post('/api/v1/bridge/reports', (c) => {
    stub.reports.push({ nodeId: c.var.nodeId, body: nodeReportSchema.parse(JSON.parse(c.var.body)) });
    return c.json({ ok: true }, 202);
  });
  stub.processing = mountProcessingStub(app, () => audience);
  app.post('/api/v1/bridge/heartbeat', (c) => {
    stub.heartbeats.push({ nodeId: c.var.nodeId, body: heartbeatSchema.parse(JSON.parse(c.var.body)) });
    return c.body(null, 204);
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  audience = `http://127.0.0.1:${port}`;
  Object.assign(stub, {
    url: audience,
    audience,
    issuer: audience,
    jobKey,
    signJob: (input: Parameters<HubStub['signJob']>[0]) =>
      signJob({
        jobId: input.jobId,
        nodeId: input.nodeId,
        issuer: input.issuer ?? audience,
        body: input.body ?? { kind: 'search.count', payload: { searchId: `srch-${input.jobId}`, query: { operand: 'OR', children: [] } } },
        privateJwk: input.privateJwk ?? jobKey.privateJwk,
        kid: jobKey.publicJwk.kid,
        nowMs: input.nowMs,
        ttlSeconds: input.ttlSeconds ?? 120,
      }),
    enqueue: (nodeId: string, jws: string) => queues.set(nodeId, [...(queues.get(nodeId) ?? []), jws]),
    failResults: (n: number) => {
      failingResults = n;
    },
    waitFor: async (what: () => boolean, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!what()) {
        if (Date.now() > deadline) throw new Error('hub stub: condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Bridges keep connections alive; without this close() waits for them to idle out.
        (server as Server).closeAllConnections();
      }),
  });
  return stub;
}
