// The explorer session and CORS of the hub's Spot routes: what a Lens explorer in a browser relies on
// (a cookie, since its EventSource cannot send a header) and what keeps other pages out of it.
import { decodeJwt } from 'jose';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerSessions } from '../../functions/identity/explorer-session.sql.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { registerNodes } from '../support/sim-node.ts';
import { lensQuery } from '../support/spot-client.ts';

const EXPLORER = 'http://127.0.0.1:5173';
const SIBLING = 'http://127.0.0.1:6006';
const ast = { operand: 'OR', children: [] };

describe(`the explorer session (${databaseKind()})`, () => {
  let hub: TestHub;
  const spot = (path: string) => `${hub.url}/api/v1/spot${path}`;
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  /** Opens a session as the web app does after its login: bearer token, the page's Origin. */
  async function open(username: string, origin = hub.url) {
    const res = await fetch(spot('/session'), {
      method: 'POST',
      headers: { authorization: `Bearer ${await hub.token(username)}`, origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { res, cookie: cookieOf(res) };
  }
  const post = (cookie: string, headers: Record<string, string> = {}) =>
    fetch(spot('/beam'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ id: crypto.randomUUID(), query: lensQuery(ast) }),
    });

  beforeAll(async () => {
    hub = await startTestHub({ env: { SPOT_EXPLORER_ORIGINS: EXPLORER } });
    await registerNodes(hub, ['node-a']);
  });
  afterAll(async () => hub?.stop());

  it('sets an HttpOnly, SameSite=Strict cookie, ending with the token', async () => {
    const { res, cookie } = await open('researcher');
    const header = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^eucaim_spot=[A-Za-z0-9_-]{43}$/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/;');
    expect(header).not.toContain('Domain');
    expect(header).not.toContain('Secure'); // the test hub is plain http; over https it is __Host- and Secure (the Workers suite)
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    const tokenExp = decodeJwt(await hub.token('researcher')).exp as number;
    expect(Math.abs(Date.parse(expiresAt) / 1000 - tokenExp)).toBeLessThanOrEqual(1);
    const maxAge = Number(/Max-Age=(\d+)/.exec(header)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(tokenExp - Math.floor(Date.now() / 1000) + 1);
    // Only a hash of the secret is stored, with the subject.
    const rows = await hub.services.db.select().from(explorerSessions);
    const secret = cookie.split('=')[1] ?? '';
    expect(rows.some((r) => r.id.includes(secret))).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true);
  });

  it('answers who the session belongs to, from the hub or an explorer origin, and refuses other pages', async () => {
    const { cookie } = await open('researcher');
    const who = await fetch(spot('/session'), { headers: { cookie, origin: EXPLORER } });
    expect(who.status).toBe(200);
    expect(((await who.json()) as { name: string }).name).toBe('Demo Researcher');
    // A same-origin EventSource or GET sends no Origin at all.
    expect((await fetch(spot('/session'), { headers: { cookie } })).status).toBe(200);
    const sibling = await fetch(spot('/session'), { headers: { cookie, origin: SIBLING } });
    expect(sibling.status).toBe(403);
    expect(((await sibling.json()) as { error: { message: string } }).error.message).toContain(SIBLING);
    expect((await fetch(spot('/session'))).status).toBe(401);
    expect((await fetch(spot('/session'), { headers: { cookie: 'eucaim_spot=forged', origin: EXPLORER } })).status).toBe(401);
  });

  it('refuses a cookie POST without an Origin or from another origin (CSRF), and takes it from an explorer', async () => {
    const { cookie } = await open('researcher');
    const bare = await post(cookie);
    expect(bare.status, await bare.clone().text()).toBe(403);
    expect((await post(cookie, { origin: SIBLING })).status).toBe(403);
    const ok = await post(cookie, { origin: EXPLORER });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe(EXPLORER);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('vary')).toContain('Origin');
  });

  it('answers a preflight only for explorer origins, and carries CORS on refusals so the explorer can read them', async () => {
    const preflight = (origin: string) =>
      fetch(spot('/beam'), {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight(EXPLORER);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(EXPLORER);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('content-type');
    const refused = await preflight(SIBLING);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const anonymous = await fetch(spot('/beam'), {
      method: 'POST',
      headers: { origin: EXPLORER, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(EXPLORER);
  });

  it('is no credential anywhere but the Spot routes', async () => {
    const { cookie } = await open('researcher');
    const res = await fetch(`${hub.url}/api/v1/search/catalogue`, { headers: { cookie } });
    expect(res.status).toBe(200); // public anyway
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { cookie, origin: hub.url } });
    expect(me.status).toBe(401);
    const search = await fetch(`${hub.url}/api/v1/search`, {
      method: 'POST',
      headers: { cookie, origin: hub.url, 'content-type': 'application/json' },
      body: JSON.stringify({ ast }),
    });
    expect(search.status).toBe(401);
  });

  it('is opened only with a bearer token, from an explorer page, returning only to an explorer', async () => {
    const token = await hub.token('researcher');
    const openWith = (headers: Record<string, string>, body: unknown = {}) =>
      fetch(spot('/session'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const { cookie } = await open('researcher');
    expect((await openWith({ cookie, origin: hub.url })).status).toBe(401); // a session cannot extend itself
    expect((await openWith({ authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await openWith({ authorization: `Bearer ${token}`, origin: SIBLING })).status).toBe(403);
    const away = await openWith({ authorization: `Bearer ${token}`, origin: hub.url }, { returnTo: `${SIBLING}/` });
    expect(away.status).toBe(400);
    const back = await openWith({ authorization: `Bearer ${token}`, origin: hub.url }, { returnTo: `${EXPLORER}/explorer?x=1` });
    expect(back.status).toBe(201);
    expect(((await back.json()) as { returnTo: string }).returnTo).toBe(`${EXPLORER}/explorer?x=1`);
  });

  it('keeps non-members out of the Spot routes though they may hold a session', async () => {
    const { cookie } = await open('outsider');
    const res = await post(cookie, { origin: EXPLORER });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { details: { enrolUrl: string } } }).error.details.enrolUrl).toMatch(/^https:/);
  });

  it('ends when the token it came from would have expired', async () => {
    const { cookie } = await open('researcher');
    expect((await fetch(spot('/session'), { headers: { cookie } })).status).toBe(200);
    // As if the token's lifetime had passed: the stored expiry is what the hub holds the cookie to.
    await hub.services.db.update(explorerSessions).set({ expiresAt: new Date(Date.now() - 1000) });
    const res = await fetch(spot('/session'), { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('session has ended');
  });

  it('ends on DELETE: the cookie is cleared and the session forgotten', async () => {
    const { cookie } = await open('researcher');
    const [before] = await hub.services.db
      .select()
      .from(explorerSessions)
      .where(eq(explorerSessions.subject, decodeJwt(await hub.token('researcher')).sub as string));
    expect(before).toBeDefined();
    expect((await fetch(spot('/session'), { method: 'DELETE', headers: { cookie } })).status).toBe(403); // no Origin
    const ended = await fetch(spot('/session'), { method: 'DELETE', headers: { cookie, origin: EXPLORER } });
    expect(ended.status).toBe(204);
    expect(ended.headers.get('set-cookie')).toMatch(/^eucaim_spot=;.*Max-Age=0/);
    expect((await fetch(spot('/session'), { headers: { cookie, origin: EXPLORER } })).status).toBe(401);
  });
});
