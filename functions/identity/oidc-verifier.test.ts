// The verifier against an issuer this test controls: a loopback server publishing discovery, a key
// set and a userinfo endpoint the test can change, to pin down caching, discovery and rotation.
// Membership from userinfo and its failure modes are in userinfo.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOidcVerifier } from './oidc-verifier.ts';

const AUDIENCE = 'http://127.0.0.1:8787';

async function newKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } as JWK };
}
type Key = Awaited<ReturnType<typeof newKey>>;

describe('createOidcVerifier', () => {
  let server: Server;
  let issuer: string;
  let published: JWK[];
  let discoveryIssuer: string | undefined;
  let jwksStatus: number;
  const hits = { discovery: 0, jwks: 0, userinfo: 0 };
  let keyA: Key;
  let keyB: Key;

  beforeAll(async () => {
    [keyA, keyB] = await Promise.all([newKey('key-a'), newKey('key-b')]);
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        hits.discovery++;
        res.end(JSON.stringify({ issuer: discoveryIssuer ?? issuer, jwks_uri: `${issuer}/keys`, userinfo_endpoint: `${issuer}/userinfo` }));
      } else if (req.url === '/userinfo') {
        hits.userinfo++;
        // Answers for whoever the bearer token names; userinfo.test.ts covers a provider that does not.
        const { sub } = decodeJwt(String(req.headers.authorization).slice('Bearer '.length));
        res.end(JSON.stringify({ sub, eduperson_entitlement: ['urn:x:from-userinfo'] }));
      } else if (req.url === '/keys') {
        hits.jwks++;
        res.statusCode = jwksStatus;
        res.end(JSON.stringify({ keys: published }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    published = [keyA.publicJwk];
    discoveryIssuer = undefined;
    jwksStatus = 200;
    hits.discovery = 0;
    hits.jwks = 0;
    hits.userinfo = 0;
  });

  const sign = (key: Key, claims: JWTPayload = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: issuer, aud: AUDIENCE, sub: 'someone', iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .sign(key.privateKey);
  };

  it('discovers the key set and userinfo once and reuses them, asking userinfo once per token', async () => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    const token = await sign(keyA);
    for (let i = 0; i < 3; i++) expect(await verifier.verify(token)).toEqual({ sub: 'someone', entitlements: ['urn:x:from-userinfo'] });
    await verifier.verify(await sign(keyA, { jti: 'another-token' }));
    expect(hits).toEqual({ discovery: 1, jwks: 1, userinfo: 2 });
  });

  it('skips discovery when given the key set and userinfo URLs, and fetches through fetchImpl', async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const verifier = createOidcVerifier({
      issuer,
      audience: AUDIENCE,
      jwksUrl: `${issuer}/keys`,
      userinfoUrl: `${issuer}/userinfo`,
      fetchImpl,
    });
    await verifier.verify(await sign(keyA));
    expect(hits.discovery).toBe(0);
    expect(seen).toEqual([`${issuer}/keys`, `${issuer}/userinfo`]);
  });

  it('believes entitlements an issuer puts in the access token, without asking userinfo', async () => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    expect((await verifier.verify(await sign(keyA, { eduperson_entitlement: ['urn:x:in-token'] }))).entitlements).toEqual([
      'urn:x:in-token',
    ]);
    expect((await verifier.verify(await sign(keyA, { eduperson_entitlement: [], jti: 'none' }))).entitlements).toEqual([]);
    expect(hits.userinfo).toBe(0);
  });

  describe('an issuer whose discovery states it with a trailing slash (as LS-AAI)', () => {
    beforeEach(() => {
      discoveryIssuer = `${issuer}/`;
    });

    it('takes the setting with or without the slash, and holds tokens to the issuer as discovery states it', async () => {
      for (const configured of [issuer, `${issuer}/`]) {
        const verifier = createOidcVerifier({ issuer: configured, audience: AUDIENCE });
        expect((await verifier.verify(await sign(keyA, { iss: `${issuer}/`, eduperson_entitlement: [] }))).sub).toBe('someone');
        await expect(verifier.verify(await sign(keyA, { eduperson_entitlement: [] }))).rejects.toMatchObject({
          code: 'unauthenticated',
          message: 'token from another issuer',
        });
      }
    });
  });

  it('distrusts a discovery document naming another issuer, and tries again on the next token', async () => {
    discoveryIssuer = 'http://127.0.0.1:1';
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    const token = await sign(keyA);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unavailable', message: 'identity provider discovery failed' });
    discoveryIssuer = undefined;
    expect((await verifier.verify(token)).sub).toBe('someone');
    expect(hits.discovery).toBe(2);
  });

  it('refetches the key set for an unknown key id, so a rotated key is accepted', async () => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE, jwksCooldownMs: 0 });
    await verifier.verify(await sign(keyA));
    published = [keyB.publicJwk, keyA.publicJwk];
    expect((await verifier.verify(await sign(keyB, { sub: 'rotated' }))).sub).toBe('rotated');
    expect(hits.jwks).toBe(2);
  });

  it('does not hammer the issuer with refetches for unknown key ids within the cooldown', async () => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    await verifier.verify(await sign(keyA));
    const unknown = await sign(keyB);
    for (let i = 0; i < 3; i++) {
      await expect(verifier.verify(unknown)).rejects.toMatchObject({ message: 'token signed by an unknown key' });
    }
    expect(hits.jwks).toBe(1);
  });

  it('answers 503 for every token while the key set cannot be fetched', async () => {
    jwksStatus = 500;
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    await expect(verifier.verify(await sign(keyA))).rejects.toMatchObject({
      code: 'unavailable',
      status: 503,
      message: 'identity provider keys unavailable',
    });
  });

  it.each([
    ['a token without subject', { sub: undefined }, 'token claim sub missing'],
    ['a token without expiry', { exp: undefined }, 'token claim exp missing'],
    ['a token not valid yet', { nbf: Math.floor(Date.now() / 1000) + 3600 }, 'token not yet valid'],
  ])('refuses %s', async (_case, claims, reason) => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    await expect(verifier.verify(await sign(keyA, claims))).rejects.toMatchObject({ code: 'unauthenticated', message: reason });
  });

  it('reads one entitlement given as a string in the token, and drops claims of the wrong type', async () => {
    const verifier = createOidcVerifier({ issuer, audience: AUDIENCE });
    const token = await sign(keyA, { eduperson_entitlement: 'urn:x:member', name: 42, email: ['not', 'a', 'string'] });
    expect(await verifier.verify(token)).toEqual({ sub: 'someone', entitlements: ['urn:x:member'] });
    const mixed = await sign(keyA, { eduperson_entitlement: ['urn:x:a', 7, 'urn:x:b'] });
    expect((await verifier.verify(mixed)).entitlements).toEqual(['urn:x:a', 'urn:x:b']);
  });
});
