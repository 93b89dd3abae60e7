import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../functions/app.ts';
import { isPublicApiRoute } from '../../functions/identity/public-routes.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

describe(`hub access control (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  const get = (path: string, token?: string) => fetch(hub.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers health anonymously', async () => {
    const res = await (await hub.client()).api.v1.health.$get();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
  });

  it('refuses every non-public API route to an anonymous caller (deny by default)', async () => {
    const routes = buildApp(hub.services).routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL');
    const guarded = routes.filter((r) => !isPublicApiRoute(r.method, r.path));
    expect(guarded.length).toBeGreaterThan(5);
    for (const r of guarded) {
      const path = r.path.replace(/:(\w+)/g, 'x');
      const res = await fetch(hub.url + path, {
        method: r.method,
        headers: { 'content-type': 'application/json' },
        body: r.method === 'GET' ? undefined : '{}',
      });
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(res.status, `${r.method} ${r.path}: ${JSON.stringify(body)}`).toBe(401);
      expect(body.error.code).toBe('unauthenticated');
      expect(body.error.requestId).toBeTruthy();
    }
  });

  it('tells a logged-in user who they are and which roles they hold', async () => {
    const res = await (await hub.client('admin')).api.v1.me.$get();
    const me = await res.json();
    expect(res.status, JSON.stringify(me)).toBe(200);
    expect(me.sub).toBe('admin');
    expect(me.roles).toEqual(expect.arrayContaining(['authenticated', 'member', 'platform_admin']));
    expect(me.enrol).toBeNull();
  });

  it('counts a group entitlement with a role suffix as membership (AARC-G002)', async () => {
    // The demo provider releases the representative's group as `…:EUCAIM:role=manager#…`, at userinfo only.
    const me = await (await (await hub.client('representative')).api.v1.me.$get()).json();
    expect(me.member).toBe(true);
    expect(me.enrol).toBeNull();
  });

  it('tells a non-member how to enrol, and refuses them member-only routes with 403', async () => {
    const client = await hub.client('outsider');
    const me = await (await client.api.v1.me.$get()).json();
    expect(me.member).toBe(false);
    expect(me.enrol?.url).toMatch(/^https:\/\//);
    const res = await client.api.v1.search.$post({ json: { ast: { operand: 'OR', children: [] } } });
    const body = (await res.json()) as unknown as { error: { code: string; details: { enrolUrl: string } } };
    expect(res.status, JSON.stringify(body)).toBe(403);
    expect(body.error.details.enrolUrl).toMatch(/^https:\/\//);
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  describe.each([
    [
      'tampered',
      async (t: string) => {
        const [h, , s] = t.split('.');
        return [h, b64({ ...decodeJwt(t), sub: 'admin' }), s].join('.');
      },
    ],
    [
      'foreign (signed by a key the issuer never had)',
      async (t: string) => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ ...decodeJwt(t) }).setProtectedHeader({ alg: 'RS256', kid: 'foreign' }).sign(privateKey);
      },
    ],
    [
      'expired',
      async (t: string) => {
        const { privateKey } = await generateKeyPair('RS256');
        const claims = { ...decodeJwt(t), exp: Math.floor(Date.now() / 1000) - 600 };
        return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      },
    ],
    ['unsigned (alg none)', async (t: string) => `${b64({ alg: 'none' })}.${b64(decodeJwt(t))}.`],
  ])('a %s user token', (_name, forge) => {
    it('is refused with 401', async () => {
      const bad = await forge(await hub.token('researcher'));
      const res = await get('/api/v1/me', bad);
      const body = (await res.json()) as { error: { code: string } };
      expect(res.status, JSON.stringify(body)).toBe(401);
      expect(body.error.code).toBe('unauthenticated');
    });
  });

  it('lets only admins register nodes, validates the key and refuses a duplicate id', async () => {
    const { publicJwk } = await nodeClient(hub.url, 'node-x');
    const researcher = await hub.client('researcher');
    const denied = await researcher.api.v1.nodes.$post({ json: { id: 'node-x', name: 'X', publicJwk, admins: [] } });
    expect(denied.status).toBe(403);

    const admin = await hub.client('admin');
    const bad = await admin.api.v1.nodes.$post({
      json: { id: 'node-x', name: 'X', publicJwk: { ...publicJwk, x: 'short' }, admins: [] },
    });
    const badBody = (await bad.json()) as unknown as { error: { details: { path: string }[] } };
    expect(bad.status).toBe(400);
    expect(badBody.error.details.map((d) => d.path)).toContain('publicJwk.x');

    const ok = await admin.api.v1.nodes.$post({ json: { id: 'node-x', name: 'X', publicJwk, admins: ['dataholder'] } });
    expect(ok.status).toBe(201);
    const again = await admin.api.v1.nodes.$post({ json: { id: 'node-x', name: 'X', publicJwk, admins: [] } });
    expect(again.status).toBe(409);

    const me = await (await (await hub.client('dataholder')).api.v1.me.$get()).json();
    expect(me.roles).toContain('node_admin');
    expect(me.administeredNodes).toEqual(['node-x']);
  });

  it('answers malformed JSON, oversize bodies and unknown routes in the one error shape', async () => {
    const headers = { authorization: `Bearer ${await hub.token('researcher')}`, 'content-type': 'application/json' };
    const malformed = await fetch(`${hub.url}/api/v1/search`, { method: 'POST', headers, body: '{"ast":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const big = await fetch(`${hub.url}/api/v1/search`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ast: { operand: 'OR', children: [] }, id: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    const missing = await get('/api/v1/nowhere', headers.authorization.slice(7));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
