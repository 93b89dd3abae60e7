// Membership read from a userinfo endpoint on loopback that the test turns down, slows or makes lie:
// each failure is a 503 or a 401, never "not a member", and a request after the first per token costs
// no round trip.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUserinfoLookup, type UserinfoOptions } from './userinfo.ts';

type Mode = 'ok' | 'wrong-sub' | 'slow' | 'error' | 'refused' | 'hang-up' | 'not-json' | 'single-value';

describe('userinfo lookups', () => {
  let server: Server;
  let endpoint: string;
  let mode: Mode;
  let hits: number;
  let seenAuthorization: string | undefined;
  const sockets = new Set<Socket>();
  const pending: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      seenAuthorization = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      const ok = { sub: 'alice', name: 'Alice', email: 'alice@example.org', eduperson_entitlement: ['urn:geant:x:group:g#a'] };
      if (mode === 'ok') res.end(JSON.stringify(ok));
      else if (mode === 'single-value') res.end(JSON.stringify({ ...ok, eduperson_entitlement: 'urn:geant:x:group:g#a' }));
      else if (mode === 'wrong-sub') res.end(JSON.stringify({ ...ok, sub: 'mallory' }));
      else if (mode === 'error') {
        res.statusCode = 502;
        res.end('{}');
      } else if (mode === 'refused') {
        res.statusCode = 401;
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        res.end('{"error":"invalid_token"}');
      } else if (mode === 'not-json') res.end('<html>maintenance</html>');
      else if (mode === 'hang-up') req.socket.destroy();
      // 'slow': answers only when the test ends, long after the lookup gave up.
      else pending.push(res);
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/userinfo`;
  });
  afterAll(async () => {
    for (const res of pending) res.end('{}');
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    mode = 'ok';
    hits = 0;
  });

  const exp = () => Math.floor(Date.now() / 1000) + 300;
  const lookup = (extra: Partial<UserinfoOptions> = {}) =>
    createUserinfoLookup({ endpoint: async () => endpoint, fetchImpl: (i, init) => fetch(i, init), timeoutMs: 300, ...extra });

  it('reads groups, name and e-mail with the access token as bearer', async () => {
    expect(await lookup().claims('token-a', 'alice', exp())).toEqual({
      name: 'Alice',
      email: 'alice@example.org',
      entitlements: ['urn:geant:x:group:g#a'],
    });
    expect(seenAuthorization).toBe('Bearer token-a');
  });

  it('reads a single entitlement sent as a plain string', async () => {
    mode = 'single-value';
    expect((await lookup().claims('token-s', 'alice', exp())).entitlements).toEqual(['urn:geant:x:group:g#a']);
  });

  it('asks once per token, for sequential and concurrent requests alike, until the token expires', async () => {
    let clock = Date.now();
    const l = lookup({ now: () => clock });
    const e = exp();
    await l.claims('token-b', 'alice', e);
    await Promise.all([l.claims('token-b', 'alice', e), l.claims('token-b', 'alice', e), l.claims('token-c', 'alice', e)]);
    expect(hits).toBe(2);
    expect(l.calls).toBe(2);
    clock = e * 1000 + 1;
    await l.claims('token-b', 'alice', e);
    expect(hits, 'an answer is never kept past the token expiry').toBe(3);
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const l = lookup({ maxEntries: 2 });
    for (const t of ['t1', 't2', 't3', 't3', 't2']) await l.claims(t, 'alice', exp());
    expect(hits).toBe(3);
    await l.claims('t1', 'alice', exp());
    expect(hits).toBe(4);
  });

  it.each([
    ['slow beyond the timeout', 'slow', /did not answer in time/],
    ['answering 502', 'error', /answered 502/],
    ['hanging up', 'hang-up', /unreachable/],
    ['answering something other than JSON', 'not-json', /answer unreadable/],
  ] as const)('answers 503 when the endpoint is %s, never "no groups"', async (_case, m, message) => {
    mode = m;
    const started = Date.now();
    await expect(lookup().claims('token-d', 'alice', exp())).rejects.toMatchObject({ code: 'unavailable', status: 503, message });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 503 when nothing listens at the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/userinfo`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const l = lookup({ endpoint: async () => url });
    await expect(l.claims('token-e', 'alice', exp())).rejects.toMatchObject({ code: 'unavailable', message: /unreachable/ });
  });

  it('answers 503 when the endpoint cannot be found (discovery down)', async () => {
    const l = lookup({
      endpoint: async () => {
        throw new Error('discovery answered 500');
      },
    });
    await expect(l.claims('token-f', 'alice', exp())).rejects.toMatchObject({
      code: 'unavailable',
      message: 'identity provider discovery failed',
    });
  });

  it('answers 401 when userinfo names another subject than the token', async () => {
    mode = 'wrong-sub';
    await expect(lookup().claims('token-g', 'alice', exp())).rejects.toMatchObject({
      code: 'unauthenticated',
      status: 401,
      message: 'userinfo names another subject than the token',
    });
  });

  it('answers 401 when the provider refuses the token there', async () => {
    mode = 'refused';
    await expect(lookup().claims('token-h', 'alice', exp())).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'token refused by the identity provider',
    });
  });

  it('remembers a failure briefly, then asks again', async () => {
    let clock = Date.now();
    const l = lookup({ now: () => clock, failureTtlMs: 2000 });
    mode = 'error';
    await expect(l.claims('token-i', 'alice', exp())).rejects.toMatchObject({ code: 'unavailable' });
    mode = 'ok';
    await expect(l.claims('token-i', 'alice', exp())).rejects.toMatchObject({ code: 'unavailable' });
    expect(hits).toBe(1);
    clock += 2001;
    expect((await l.claims('token-i', 'alice', exp())).entitlements).toEqual(['urn:geant:x:group:g#a']);
    expect(hits).toBe(2);
  });
});
