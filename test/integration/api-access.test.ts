import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../bridge/hub-client.ts';
import { apiDocument, declaredRoutes } from '../../functions/api/document.ts';
import { apiRoutes } from '../../functions/app.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

type Body = { error?: { code: string; details?: { enrolUrl?: string } } } | null;

// Every route under /api and /tracer, by its declared access: each kind is checked against a caller
// just short of it, so a route whose guard or credential check went missing fails here by name.
const guarded = declaredRoutes(apiRoutes.routes).filter((r) => r.path.startsWith('/api/') || r.path.startsWith('/tracer/'));
const ofKind = (...kinds: string[]) =>
  guarded.filter((r) => kinds.includes(r.declaration.access)).map((r) => [`${r.method} ${r.path}`, r] as const);
// A value each path parameter's own pattern accepts, so the request reaches the route's guard.
const SAMPLES: Record<string, string> = { '[A-Za-z0-9_-]{43}': 'A'.repeat(43), '[0-9]{1,3}': '0' };
const concrete = (path: string) =>
  path.replace(/:(\w+)(?:\{((?:[^{}]|\{[^{}]*\})*)\})?/g, (_m, _name, pattern?: string) => (pattern ? (SAMPLES[pattern] ?? 'x') : 'x'));

describe(`declared access, enforced (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  async function call(r: { method: string; path: string }, authorization?: string) {
    const res = await fetch(hub.url + concrete(r.path), {
      method: r.method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: r.method === 'GET' ? undefined : '{}',
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Body };
  }
  const as = async (user: string) => `Bearer ${await hub.token(user)}`;

  it('has routes of every kind to check', () => {
    for (const kind of ['public', 'public-user', 'user', 'member', 'admin', 'node', 'webhook', 'upload-token'])
      expect(ofKind(kind).length, kind).toBeGreaterThan(0);
  });

  it.each(ofKind('member'))('%s refuses a logged-in non-member with 403 and says how to enrol', async (_name, r) => {
    const res = await call(r, await as('outsider'));
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body?.error?.details?.enrolUrl).toMatch(/^https:\/\//);
  });

  it.each(ofKind('admin'))('%s refuses a member who is not a platform admin with 403', async (_name, r) => {
    const res = await call(r, await as('researcher'));
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body?.error?.code).toBe('forbidden');
  });

  it.each(ofKind('node'))('%s refuses a user token, even an admin one (nodes only)', async (_name, r) => {
    const res = await call(r, await as('admin'));
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(res.body?.error?.code).toBe('unauthenticated');
  });

  it.each(ofKind('user', 'member', 'admin'))('%s refuses a node-signed token (users only)', async (_name, r) => {
    const node = await nodeClient(hub.url, 'access-node');
    const res = await node.call(r.method, concrete(r.path), r.method === 'GET' ? undefined : {});
    expect(res.status, JSON.stringify(res.body)).toBe(401);
  });

  it.each(ofKind('public'))('%s answers without credentials and does not read a token sent anyway', async (_name, r) => {
    const anonymous = await call(r);
    expect([401, 403], JSON.stringify(anonymous.body)).not.toContain(anonymous.status);
    const withJunk = await call(r, 'Bearer not-a-token');
    expect(withJunk.status, JSON.stringify(withJunk.body)).toBe(anonymous.status);
  });

  it.each(ofKind('upload-token'))('%s reads no bearer token: the token in the URL decides (403 when unknown)', async (_name, r) => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const res = await call(r, authorization);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body?.error?.code).toBe('forbidden');
    }
  });

  it.each(ofKind('public-user'))('%s answers anonymously but refuses a token that is not valid', async (_name, r) => {
    expect((await call(r)).status).not.toBe(401);
    const res = await call(r, 'Bearer not-a-token');
    expect(res.status, JSON.stringify(res.body)).toBe(401);
  });

  it.each(ofKind('webhook'))('%s refuses an unsigned call with 401', async (_name, r) => {
    const res = await call(r);
    expect(res.status, JSON.stringify(res.body)).toBe(401);
  });

  it('lets a bridge fetch the job keys with the token it signs every call with (bridge/README.md set-up)', async () => {
    const node = await nodeClient(hub.url, 'bridge-keys');
    const client = new HubClient({ hubUrl: hub.url, audience: hub.url, nodeId: node.nodeId, privateJwk: node.privateJwk });
    const keys = await client.jobKeys();
    expect(keys.issuer).toBeTruthy();
    expect(keys.keys.length).toBeGreaterThan(0);
  });

  it.each(['bearer', 'BEARER', 'Bearer'])('accepts the scheme written %s (RFC 6750: case-insensitive)', async (scheme) => {
    const res = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `${scheme} ${await hub.token('researcher')}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sub: string }).sub).toBe('researcher');
  });

  it('denies an undeclared path by default: a user token under /api, a node token under the bridge prefix', async () => {
    expect((await call({ method: 'GET', path: '/api/v1/nowhere' })).status).toBe(401);
    expect((await call({ method: 'GET', path: '/tracer/api/v1/nowhere' })).status).toBe(401);
    expect((await call({ method: 'GET', path: '/api/v1/nowhere' }, await as('researcher'))).status).toBe(404);
    const bridge = await call({ method: 'GET', path: '/api/v1/bridge/nowhere' }, await as('admin'));
    expect(bridge.status, JSON.stringify(bridge.body)).toBe(401);
  });

  it('serves its OpenAPI description at /api/openapi.json, for its own public URL', async () => {
    const res = await fetch(`${hub.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as { servers: { url: string }[]; paths: Record<string, unknown> };
    const config = hub.services.config;
    expect(served).toEqual(
      JSON.parse(JSON.stringify(apiDocument(apiRoutes.routes, { publicUrl: config.PUBLIC_URL, oidcIssuer: config.OIDC_ISSUER }))),
    );
    expect(served.servers).toEqual([{ url: hub.url }]);
  });

  it('serves a readable reference that runs no script and needs no network', async () => {
    const res = await fetch(`${hub.url}/api/reference`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const page = await res.text();
    expect(page).not.toMatch(/<script|https?:\/\/(cdn|unpkg|fonts)/i);
    for (const path of ['/api/v1/health', '/api/v3/requests', '/tracer/api/v1/traces', '/api/v1/runs/{id}/nodes/{nodeId}/outputs/{path}'])
      expect(page).toContain(`<code>${path}</code>`);
    expect(page).toContain('Tracer v1 (CHAIMELEON interop)');
  });
});
