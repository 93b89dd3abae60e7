// The browser's authorization-code + PKCE flow against the local provider, done by hand with fetch:
// every redirect, cookie and form post a browser would make, then the hub's verifier on the result.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../../functions/identity/oidc-verifier.ts';
import { USER_SCOPE } from '../../functions/identity/scopes.ts';
import { MEMBER_ENTITLEMENT } from '../../scripts/oidc/accounts.ts';
import { type RunningOidcProvider, startOidcProvider } from '../../scripts/oidc/provider.ts';

const HUB = 'http://127.0.0.1:8787';
const WEB_ORIGIN = 'http://127.0.0.1:5173';
const REDIRECT_URI = `${WEB_ORIGIN}/auth/callback`;

/** Just enough of a browser: a cookie jar and manual redirects. */
function browser() {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attrs.some((a) => /expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const request = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    remember(res);
    return res;
  };
  /** Follows redirects until a page answers or the provider sends the browser back to the web app. */
  const follow = async (start: string, init?: RequestInit) => {
    let res = await request(start, init);
    let url = start;
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      if (url.startsWith(REDIRECT_URI)) return { url, res };
      res = await request(url);
    }
    return { url, res };
  };
  return { follow };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('the browser sign-in flow', () => {
  let dir: string;
  let provider: RunningOidcProvider;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'oidc-flow-'));
    provider = await startOidcProvider({
      port: 0,
      dataDir: dir,
      hubAudience: HUB,
      webRedirectUris: [REDIRECT_URI],
      webOrigins: [WEB_ORIGIN],
    });
  });
  afterAll(async () => {
    await provider?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a sign-in as the web app would and stops at the provider's login form. */
  async function openLoginPage(scope = USER_SCOPE) {
    const { verifier, challenge } = pkce();
    const state = randomBytes(8).toString('hex');
    const nonce = randomBytes(8).toString('hex');
    // LS-AAI's endpoint name, below the issuer's path.
    const auth = new URL('authorize', provider.issuer);
    auth.search = new URLSearchParams({
      client_id: 'eucaim-web',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const b = browser();
    const loginPage = await b.follow(auth.href);
    const html = await loginPage.res.text();
    expect(loginPage.res.status, html).toBe(200);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    expect(action, html).toMatch(/^\/oidc\/interaction\/[\w-]+\/login$/);
    const cancel = /<a href="([^"]+\/abort)"/.exec(html)?.[1];
    return { b, action: new URL(action ?? '', provider.issuer).href, cancel, verifier, state, nonce };
  }

  async function signIn(username: string, password: string, scope?: string) {
    const page = await openLoginPage(scope);
    const done = await page.b.follow(page.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    return { ...done, ...page };
  }

  async function exchange(code: string, verifier: string) {
    const res = await fetch(new URL('token', provider.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: WEB_ORIGIN },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'eucaim-web',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  }

  it('signs a member in and yields an access token the hub accepts', async () => {
    const flow = await signIn('researcher', 'demo');
    expect(flow.url.startsWith(REDIRECT_URI), flow.url).toBe(true);
    const back = new URL(flow.url).searchParams;
    expect(back.get('state')).toBe(flow.state);
    expect(back.get('iss')).toBe(provider.issuer);
    const code = back.get('code');
    expect(code, flow.url).toBeTruthy();

    const { res, body } = await exchange(code ?? '', flow.verifier);
    expect(res.status, JSON.stringify(body)).toBe(200);
    // The SPA calls the token endpoint from its own origin: CORS must let it read the answer.
    expect(res.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);

    const user = await createOidcVerifier({ issuer: provider.issuer, audience: HUB }).verify(String(body.access_token));
    expect(user).toEqual({
      sub: 'researcher',
      name: 'Demo Researcher',
      email: 'researcher@demo.eucaim.local',
      entitlements: [MEMBER_ENTITLEMENT],
    });

    const jwks = createRemoteJWKSet(new URL('jwk', provider.issuer));
    const { payload: id } = await jwtVerify(String(body.id_token), jwks, { issuer: provider.issuer, audience: 'eucaim-web' });
    expect(id.nonce).toBe(flow.nonce);
    expect(id.email).toBe('researcher@demo.eucaim.local');
    // As at LS-AAI, groups are released at userinfo only: neither the ID token nor the access token has them.
    expect(id).not.toHaveProperty('eduperson_entitlement');
    const info = await fetch(new URL('userinfo', provider.issuer), { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(await info.json()).toMatchObject({ sub: 'researcher', eduperson_entitlement: [MEMBER_ENTITLEMENT] });
  });

  it('releases no groups to an app that signed in without the eduperson_entitlement scope', async () => {
    const flow = await signIn('admin', 'demo', 'openid profile email');
    const { body } = await exchange(new URL(flow.url).searchParams.get('code') ?? '', flow.verifier);
    const user = await createOidcVerifier({ issuer: provider.issuer, audience: HUB }).verify(String(body.access_token));
    expect(user.sub).toBe('admin');
    expect(user.entitlements).toEqual([]);
  });

  it('refuses the code without the PKCE verifier it was bound to', async () => {
    const flow = await signIn('dataholder', 'demo');
    const code = new URL(flow.url).searchParams.get('code') ?? '';
    const { res, body } = await exchange(code, pkce().verifier);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error).toBe('invalid_grant');
    expect(body.access_token).toBeUndefined();
  });

  it('gives no code for a wrong password', async () => {
    const flow = await signIn('researcher', 'not-the-password');
    const html = await flow.res.text();
    expect(flow.res.status, html).toBe(401);
    expect(html).toContain('wrong password');
    expect(flow.url.startsWith(REDIRECT_URI)).toBe(false);
    expect(flow.res.headers.get('location')).toBeNull();
  });

  it('sends the user back with access_denied when they cancel', async () => {
    const page = await openLoginPage();
    expect(page.cancel).toBeDefined();
    const back = await page.b.follow(new URL(page.cancel ?? '', provider.issuer).href);
    const params = new URL(back.url).searchParams;
    expect(back.url.startsWith(REDIRECT_URI), back.url).toBe(true);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(page.state);
    expect(params.get('code')).toBeNull();
  });
});
