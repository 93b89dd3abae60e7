import { importJWK, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { type GrantInput, GrantRefused, verifyGrant } from '../../shared/negotiation/grant.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { createGrantSigner, type GrantSigner, refusingGrantSigner } from './grant-signer.ts';

const HUB = 'https://hub.example.org';
const NOW = Date.UTC(2027, 0, 15, 12);
const DAY = 24 * 3600;

const claims = (): GrantInput => ({
  sub: 'researcher-1',
  jti: newId('grt', NOW),
  exp: NOW / 1000 + 30 * DAY,
  dataset: 'ds-breast-mr',
  access: 'REMOTE_PROCESSING',
  conditions: 'Results only; no re-identification.',
  negotiation: newId('neg', NOW),
});

/** The reason verifyGrant refused, or 'accepted'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    if (err instanceof GrantRefused) return err.reason;
    throw err;
  }
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

describe('access grants', () => {
  let signer: GrantSigner;
  let jwks: { keys: ReturnType<GrantSigner['publicKeys']> };

  beforeAll(async () => {
    signer = await createGrantSigner((await generateNodeKeyPair()).privateJwk, HUB);
    jwks = { keys: signer.publicKeys() };
  });
  afterEach(() => vi.restoreAllMocks());

  it('verifies offline with the published public key: no network call at all', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('network used'));
    const input = claims();
    const grant = await verifyGrant(await signer.sign(input, NOW), jwks, {
      issuer: HUB,
      user: 'researcher-1',
      dataset: 'ds-breast-mr',
      nowMs: NOW + 1000,
    });
    expect(grant).toEqual({ ...input, iss: HUB, iat: NOW / 1000 });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('publishes only the public half of the key', () => {
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a grant whose payload was changed (another dataset, a longer expiry)', async () => {
    const [header, payload, sig] = (await signer.sign(claims(), NOW)).split('.') as [string, string, string];
    const forged = b64({ ...unb64(payload), dataset: 'ds-everything', exp: NOW / 1000 + 3650 * DAY });
    expect(await outcome(verifyGrant(`${header}.${forged}.${sig}`, jwks, { nowMs: NOW }))).toBe('bad_signature');
  });

  it('refuses a grant whose signature was changed', async () => {
    const [header, payload, sig] = (await signer.sign(claims(), NOW)).split('.') as [string, string, string];
    const bytes = Buffer.from(sig, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(await outcome(verifyGrant(`${header}.${payload}.${bytes.toString('base64url')}`, jwks, { nowMs: NOW }))).toBe('bad_signature');
  });

  it('refuses a grant signed by another key, even one claiming our key id', async () => {
    const other = await createGrantSigner((await generateNodeKeyPair()).privateJwk, HUB);
    const jws = await other.sign(claims(), NOW);
    expect(await outcome(verifyGrant(jws, jwks, { nowMs: NOW }))).toBe('bad_signature');
    const [, payload, sig] = jws.split('.') as [string, string, string];
    const relabelled = b64({ alg: 'EdDSA', typ: 'grant+jwt', kid: jwks.keys[0]?.kid });
    expect(await outcome(verifyGrant(`${relabelled}.${payload}.${sig}`, jwks, { nowMs: NOW }))).toBe('bad_signature');
  });

  it('refuses a grant after it expired, and accepts it just before', async () => {
    const input = claims();
    const jws = await signer.sign(input, NOW);
    expect(await outcome(verifyGrant(jws, jwks, { nowMs: input.exp * 1000 - 1000 }))).toBe('accepted');
    expect(await outcome(verifyGrant(jws, jwks, { nowMs: input.exp * 1000 + 1000 }))).toBe('expired');
  });

  it.each([
    ['another issuer', { issuer: 'https://evil.example.org' }, 'wrong_issuer'],
    ['another user', { user: 'someone-else' }, 'wrong_user'],
    ['another dataset', { dataset: 'ds-prostate-mr' }, 'wrong_dataset'],
  ])('refuses a grant presented for %s', async (_what, opts, reason) => {
    expect(await outcome(verifyGrant(await signer.sign(claims(), NOW), jwks, { nowMs: NOW, ...opts }))).toBe(reason);
  });

  it('refuses a token the grant key signed that does not say it is a grant', async () => {
    const key = (await generateNodeKeyPair()).privateJwk;
    const own = await createGrantSigner(key, HUB);
    const kid = own.publicKeys()[0]?.kid ?? '';
    const input = claims();
    const other = await new SignJWT({
      dataset: input.dataset,
      access: input.access,
      conditions: input.conditions,
      negotiation: input.negotiation,
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
      .setSubject(input.sub)
      .setJti(input.jti)
      .setIssuer(HUB)
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(input.exp)
      .sign(await importJWK(key as JWK, 'EdDSA'));
    expect(await outcome(verifyGrant(other, { keys: own.publicKeys() }, { nowMs: NOW }))).toBe('malformed');
  });

  it.each([
    ['not a JWS', 'hello'],
    ['an unsigned token', `${b64({ alg: 'none', typ: 'grant+jwt' })}.${b64({ sub: 'x' })}.`],
  ])('refuses %s as malformed', async (_what, jws) => {
    expect(await outcome(verifyGrant(jws, jwks, { nowMs: NOW }))).toBe('malformed');
  });

  it('refuses to sign a grant with an unknown access condition or no expiry', async () => {
    await expect(signer.sign({ ...claims(), access: 'EVERYTHING' as 'DOWNLOAD' }, NOW)).rejects.toThrow();
    await expect(signer.sign({ ...claims(), exp: NOW / 1000 - 1 }, NOW)).rejects.toThrow('expires before it was issued');
  });

  it('names the missing setting where no grant key is configured', async () => {
    const refusing = refusingGrantSigner(HUB);
    expect(refusing.publicKeys()).toEqual([]);
    await expect(refusing.sign(claims(), NOW)).rejects.toThrow('GRANT_SIGNING_KEY');
  });
});
