// The hub reading membership from userinfo (as LS-AAI releases it) through a loopback relay in front
// of the demo provider's endpoint that the test turns down, slows or makes name another user: each is
// a 503 or a 401 in the one error shape, never "not a member" (a 403 with an enrol link).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchDemoToken } from '../../scripts/oidc/token-client.ts';
import { errorBodySchema } from '../../shared/errors.ts';
import { databaseKind } from '../support/database.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';

type Mode = 'relay' | 'down' | 'slow' | 'wrong-sub';

describe(`membership from userinfo when the provider misbehaves (${databaseKind()})`, () => {
  let hub: TestHub;
  let relay: Server;
  let mode: Mode = 'relay';
  let upstream = '';
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    relay = createServer(async (req, res) => {
      if (mode === 'down') return req.socket.destroy();
      if (mode === 'slow') return held.push(res);
      const answer = await fetch(upstream, { headers: { authorization: String(req.headers.authorization) } });
      const body = (await answer.json()) as Record<string, unknown>;
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(mode === 'wrong-sub' ? { ...body, sub: 'admin' } : body));
    });
    relay.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/userinfo`;
    hub = await startTestHub({ env: { OIDC_USERINFO_URL: relayUrl, OIDC_USERINFO_TIMEOUT_MS: '300' } });
    upstream = `${hub.oidc.issuer}userinfo`;
  });
  afterAll(async () => {
    for (const res of held) res.end('{}');
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
    await hub?.stop();
  });
  beforeEach(() => {
    mode = 'relay';
  });

  // A fresh token per test: the hub remembers each token's answer (or, briefly, its failure).
  const freshToken = (username: string) => fetchDemoToken({ issuer: hub.oidc.issuer, dataDir: path.join(hub.dir, 'oidc'), username });
  const call = async (token: string, method: 'GET' | 'POST', route: string, body?: unknown) => {
    const res = await fetch(hub.url + route, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const search = { ast: { operand: 'OR', children: [] } };

  it('makes a member of whoever userinfo says is in the group', async () => {
    const token = await freshToken('researcher');
    const me = await call(token, 'GET', '/api/v1/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({ sub: 'researcher', name: 'Demo Researcher', member: true });
  });

  it.each([
    ['down', /unreachable/],
    ['slow', /did not answer in time/],
  ] as const)('answers 503 while userinfo is %s, on a member route and on /me alike', async (m, message) => {
    mode = m;
    const token = await freshToken('researcher');
    for (const [method, route, body] of [
      ['POST', '/api/v1/search', search],
      ['GET', '/api/v1/me', undefined],
    ] as const) {
      const res = await call(token, method, route, body);
      expect(res.status, `${method} ${route}: ${JSON.stringify(res.body)}`).toBe(503);
      const { error } = errorBodySchema.parse(res.body);
      expect(error.code).toBe('unavailable');
      expect(error.message).toMatch(message);
      expect(error.details).toBeUndefined();
    }
  });

  it('refuses with 401 a token whose userinfo names another user', async () => {
    mode = 'wrong-sub';
    const res = await call(await freshToken('outsider'), 'GET', '/api/v1/me');
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(errorBodySchema.parse(res.body).error).toMatchObject({
      code: 'unauthenticated',
      message: 'userinfo names another subject than the token',
    });
  });
});
