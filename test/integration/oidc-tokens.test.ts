// Tokens from the local provider's demo-password grant, and the hub verifier refusing every token
// it must not accept, each for its own reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../../functions/identity/oidc-verifier.ts';
import { AppError } from '../../shared/errors.ts';
import { DEMO_ACCOUNTS, MEMBER_ENTITLEMENT } from '../../scripts/oidc/accounts.ts';
import { loadSigningKeys, readCliClient } from '../../scripts/oidc/data-dir.ts';
import { type RunningOidcProvider, startOidcProvider } from '../../scripts/oidc/provider.ts';
import { fetchDemoToken } from '../../scripts/token.ts';

const HUB = 'http://127.0.0.1:8787';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function expectRefused(promise: Promise<unknown>, reason: string | RegExp, token: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the token was accepted').toBeInstanceOf(AppError);
  const appErr = err as AppError;
  expect(appErr.code).toBe('unauthenticated');
  expect(appErr.status).toBe(401);
  expect(appErr.message).toMatch(reason);
  if (token.length > 8) expect(appErr.message).not.toContain(token);
}

describe('the local OIDC provider and the hub verifier', () => {
  const dirs: string[] = [];
  const providers: RunningOidcProvider[] = [];
  let provider: RunningOidcProvider;
  let other: RunningOidcProvider;
  let dataDir: string;

  async function start() {
    const dir = await mkdtemp(path.join(tmpdir(), 'oidc-tokens-'));
    dirs.push(dir);
    const p = await startOidcProvider({
      port: 0,
      dataDir: dir,
      hubAudience: HUB,
      webRedirectUris: ['http://127.0.0.1:5173/'],
      webOrigins: ['http://127.0.0.1:5173'],
    });
    providers.push(p);
    return { p, dir };
  }

  beforeAll(async () => {
    ({ p: provider, dir: dataDir } = await start());
    ({ p: other } = await start());
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const verifier = () => createOidcVerifier({ issuer: provider.issuer, audience: HUB });
  const token = (username: string, password?: string) => fetchDemoToken({ issuer: provider.issuer, dataDir, username, password });

  /** Signs claims with the provider's own signing key, to isolate one claim check at a time. */
  async function signWithProviderKey(claims: JWTPayload) {
    const [jwk] = (await loadSigningKeys(dataDir))?.keys ?? [];
    const key = await importJWK(jwk ?? {}, 'RS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk?.kid, typ: 'at+jwt' }).sign(key);
  }
  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = () => ({ iss: provider.issuer, aud: HUB, sub: 'researcher', iat: now(), exp: now() + 600 });

  describe.each(DEMO_ACCOUNTS.map((a) => [a.sub, a] as const))('the demo-password grant for %s', (_name, account) => {
    it('mints an hour-long hub token as LS-AAI shapes them, and the verifier completes it from userinfo', async () => {
      const t = await token(account.sub);
      const claims = decodeJwt(t);
      expect(claims.iss).toBe(provider.issuer);
      expect(claims.aud).toBe(HUB);
      expect(claims.client_id).toBe('eucaim-cli');
      expect(claims.scope).toBe('openid profile email eduperson_entitlement');
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
      // Groups, name and e-mail are released at userinfo only.
      expect(claims).not.toHaveProperty('eduperson_entitlement');
      expect(claims).not.toHaveProperty('name');
      expect(claims).not.toHaveProperty('email');
      expect(await verifier().verify(t)).toEqual({
        sub: account.sub,
        name: account.name,
        email: `${account.sub}@demo.eucaim.local`,
        entitlements: [...account.entitlements],
      });
    });
  });

  it('states its issuer with the trailing slash, and userinfo below it, as LS-AAI does', async () => {
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oidc\/$/);
    const meta = (await (await fetch(new URL('.well-known/openid-configuration', provider.issuer))).json()) as Record<string, unknown>;
    expect(meta.issuer).toBe(provider.issuer);
    expect(meta.userinfo_endpoint).toBe(`${provider.issuer}userinfo`);
    expect(meta.jwks_uri).toBe(`${provider.issuer}jwk`);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'eduperson_entitlement']));
  });

  it('accepts its tokens when the hub names the issuer without the trailing slash (discovery states it)', async () => {
    const user = await createOidcVerifier({ issuer: provider.issuer.replace(/\/$/, ''), audience: HUB }).verify(await token('admin'));
    expect(user.sub).toBe('admin');
  });

  it('releases no groups for a token granted without the eduperson_entitlement scope', async () => {
    const t = await fetchDemoToken({ issuer: provider.issuer, dataDir, username: 'researcher', scope: 'openid profile email' });
    const info = (await (await fetch(`${provider.issuer}userinfo`, { headers: { authorization: `Bearer ${t}` } })).json()) as Record<
      string,
      unknown
    >;
    expect(info).toEqual({
      sub: 'researcher',
      name: 'Demo Researcher',
      preferred_username: 'researcher',
      email: 'researcher@demo.eucaim.local',
      email_verified: true,
    });
    expect((await verifier().verify(t)).entitlements).toEqual([]);
  });

  it('asks userinfo once per token, however many requests carry it', async () => {
    const v = verifier();
    const t = await token('representative');
    const before = provider.userinfoCalls();
    await Promise.all([v.verify(t), v.verify(t), v.verify(t)]);
    await v.verify(t);
    expect(provider.userinfoCalls() - before).toBe(1);
    expect(v.userinfo.calls).toBe(1);
  });

  it('refuses at userinfo a token it did not sign, and one without openid', async () => {
    const foreign = await fetchDemoToken({ issuer: other.issuer, dataDir: dirs[1] ?? '', username: 'admin' });
    const refused = await fetch(`${provider.issuer}userinfo`, { headers: { authorization: `Bearer ${foreign}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const noOpenid = await fetchDemoToken({ issuer: provider.issuer, dataDir, username: 'admin', scope: 'eduperson_entitlement' });
    const insufficient = await fetch(`${provider.issuer}userinfo`, { headers: { authorization: `Bearer ${noOpenid}` } });
    expect(insufficient.status).toBe(403);
  });

  it('refuses a scope the hub clients may not ask for', async () => {
    await expect(fetchDemoToken({ issuer: provider.issuer, dataDir, username: 'admin', scope: 'openid perun_admin' })).rejects.toThrow(
      /refused \(400 invalid_scope/,
    );
  });

  it('leaves the outsider without the member entitlement', async () => {
    const user = await verifier().verify(await token('outsider'));
    expect(user.entitlements).not.toContain(MEMBER_ENTITLEMENT);
    expect(user.entitlements).toEqual([]);
  });

  it.each([
    ['a wrong password', 'researcher', 'wrong'],
    ['an unknown account', 'nobody', undefined],
  ])('refuses %s', async (_case, username, password) => {
    await expect(token(username, password)).rejects.toThrow(/refused \(400 invalid_grant/);
  });

  it('refuses the grant to the public web client and to a wrong client secret', async () => {
    const { client_id } = await readCliClient(dataDir);
    const post = (authorization: string) =>
      fetch(new URL('token', provider.issuer), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:eucaim:params:grant-type:demo-password', username: 'admin', password: 'demo' }),
      });
    const wrongSecret = await post(`Basic ${btoa(`${client_id}:not-the-secret`)}`);
    expect(wrongSecret.status).toBe(401);
    const web = await fetch(new URL('token', provider.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:eucaim:params:grant-type:demo-password',
        client_id: 'eucaim-web',
        username: 'admin',
        password: 'demo',
      }),
    });
    const body = (await web.json()) as { error?: string; error_description?: string; access_token?: string };
    expect(web.status, JSON.stringify(body)).toBe(400);
    expect(body.error_description).toBe('requested grant type is not allowed for this client');
    expect(body.access_token).toBeUndefined();
  });

  describe('the verifier refuses', () => {
    it('an expired token', async () => {
      const t = await signWithProviderKey({ ...validClaims(), iat: now() - 7200, exp: now() - 3600 });
      await expectRefused(verifier().verify(t), 'token expired', t);
    });
    it('a token for another audience', async () => {
      const t = await signWithProviderKey({ ...validClaims(), aud: 'http://127.0.0.1:9999' });
      await expectRefused(verifier().verify(t), 'token for another audience', t);
    });
    it('a token naming another issuer, even when signed with the right key', async () => {
      const t = await signWithProviderKey({ ...validClaims(), iss: other.issuer });
      await expectRefused(verifier().verify(t), 'token from another issuer', t);
    });
    it('a token minted by another provider', async () => {
      const t = await fetchDemoToken({ issuer: other.issuer, dataDir: dirs[1] ?? '', username: 'admin' });
      await expectRefused(verifier().verify(t), 'token signed by an unknown key', t);
    });
    it('a token signed with a foreign key under the provider key id', async () => {
      const [jwk] = (await loadSigningKeys(dataDir))?.keys ?? [];
      const { privateKey } = await generateKeyPair('RS256');
      const t = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'RS256', kid: jwk?.kid }).sign(privateKey);
      await expectRefused(verifier().verify(t), 'token signature invalid', t);
    });
    it('a tampered token', async () => {
      const [header, , signature] = (await token('researcher')).split('.');
      const forged = { ...decodeJwt(await token('researcher')), sub: 'admin' };
      const t = `${header}.${b64(forged)}.${signature}`;
      await expectRefused(verifier().verify(t), 'token signature invalid', t);
    });
    it('an unsigned token (alg none)', async () => {
      const t = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(validClaims())}.`;
      await expectRefused(verifier().verify(t), /token algorithm not allowed|malformed token/, t);
    });
    it('a token "signed" with HS256', async () => {
      const secret = new TextEncoder().encode('a-shared-secret-anyone-could-have!!');
      const t = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
      await expectRefused(verifier().verify(t), 'token algorithm not allowed', t);
    });
    it.each([
      ['garbage', 'malformed token'],
      ['a.b.c', 'malformed token'],
      ['', 'missing token'],
      [`${b64({ alg: 'RS256' })}.bm90IGpzb24.c2ln`, 'token signature invalid'],
      ['x'.repeat(20_000), 'token too long'],
    ])('garbage: %j', async (t, reason) => {
      await expectRefused(verifier().verify(t), reason, t);
    });
  });
});
