import { SignJWT, base64url, decodeJwt, importJWK, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * Every call a bridge makes to the hub carries a short-lived EdDSA JWT signed with the node's own key.
 * Besides the usual claims it binds the HTTP method, the path and a SHA-256 of the body, so a token
 * lifted from one call cannot be replayed against another route or with another body; the hub also
 * refuses a `jti` it has seen (see the hub's replay store).
 */
export const NODE_TOKEN_MAX_LIFETIME_S = 60;
export const NODE_TOKEN_TTL_S = 30;

export const ed25519PublicJwkSchema = z
  .object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) })
  .passthrough();
export const ed25519PrivateJwkSchema = ed25519PublicJwkSchema.extend({ d: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
export type PublicJwk = z.infer<typeof ed25519PublicJwkSchema>;
export type PrivateJwk = z.infer<typeof ed25519PrivateJwkSchema>;

export const nodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'node ids are 2-63 lower-case letters, digits and dashes');

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;
// Importing a key costs more than verifying a signature with it (Node builds a transferable CryptoKey
// each time), and the hub verifies every bridge call. Public keys are cached by their bytes, so a
// changed key is simply another entry; private keys by the JWK object, re-checked against its `d`.
const publicKeys = new Map<string, Promise<ImportedKey>>();
const privateKeys = new WeakMap<object, { d: string; key: Promise<ImportedKey> }>();
const MAX_CACHED_PUBLIC_KEYS = 1000;

/** The Ed25519 public key as a verification key, imported once per isolate. */
export function importPublicKey(jwk: PublicJwk): Promise<ImportedKey> {
  let key = publicKeys.get(jwk.x);
  if (!key) {
    // Only the members that define the key: an extra `key_ops` or `alg` must not make two entries differ.
    key = importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'EdDSA');
    key.catch(() => publicKeys.delete(jwk.x));
    if (publicKeys.size >= MAX_CACHED_PUBLIC_KEYS) publicKeys.clear();
    publicKeys.set(jwk.x, key);
  }
  return key;
}

/** The Ed25519 private key as a signing key, imported once per key object. */
export function importPrivateKey(jwk: PrivateJwk): Promise<ImportedKey> {
  const cached = privateKeys.get(jwk);
  if (cached && cached.d === jwk.d) return cached.key;
  const key = importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, 'EdDSA');
  privateKeys.set(jwk, { d: jwk.d, key });
  return key;
}

// SHA-256 of no bytes: most bridge calls are GETs (long-polls), and a digest costs a crypto job.
const EMPTY_BODY_HASH = '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';

export async function bodyHash(body: string | Uint8Array): Promise<string> {
  if (body.length === 0) return EMPTY_BODY_HASH;
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

export async function generateNodeKeyPair(): Promise<{ publicJwk: PublicJwk; privateJwk: PrivateJwk }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const privateJwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as PrivateJwk;
  const publicJwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as PublicJwk;
  return {
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d },
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x },
  };
}

export interface NodeRequestInput {
  nodeId: string;
  privateJwk: PrivateJwk;
  audience: string;
  method: string;
  /** Path and query as the hub sees them, e.g. `/api/v1/bridge/jobs?wait=20`. */
  path: string;
  body?: string;
  nowMs?: number;
  ttlSeconds?: number;
}

export async function signNodeRequest(input: NodeRequestInput): Promise<string> {
  const key = await importPrivateKey(input.privateJwk);
  const iat = Math.floor((input.nowMs ?? Date.now()) / 1000);
  return new SignJWT({ htm: input.method.toUpperCase(), htu: input.path, bh: await bodyHash(input.body ?? '') })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'node+jwt' })
    .setIssuer(input.nodeId)
    .setSubject(input.nodeId)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (input.ttlSeconds ?? NODE_TOKEN_TTL_S))
    .setJti(crypto.randomUUID())
    .sign(key);
}

const claimsSchema = z.object({
  iss: nodeIdSchema,
  sub: nodeIdSchema,
  iat: z.number(),
  exp: z.number(),
  jti: z.string().min(16).max(64),
  htm: z.string(),
  htu: z.string(),
  bh: z.string(),
});
export type NodeRequestClaims = z.infer<typeof claimsSchema>;

export interface VerifyNodeRequestInput {
  token: string;
  audience: string;
  method: string;
  path: string;
  body: string | Uint8Array;
  /** The registered public key of the node, or undefined when the node is unknown or disabled. */
  publicJwkFor: (nodeId: string) => Promise<PublicJwk | undefined>;
  nowMs?: number;
}

/** Verifies signature, audience, lifetime and request binding. Replay (`jti`) is the caller's job. */
export async function verifyNodeRequest(input: VerifyNodeRequestInput): Promise<NodeRequestClaims> {
  const deny = (why: string): never => {
    throw new AppError('unauthenticated', `node authentication failed: ${why}`);
  };
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    unverified = decodeJwt(input.token);
  } catch {
    return deny('malformed token');
  }
  const nodeId = nodeIdSchema.safeParse(unverified.iss);
  if (!nodeId.success) return deny('malformed issuer');
  const jwk = await input.publicJwkFor(nodeId.data);
  if (!jwk) return deny('unknown node');
  const nowS = Math.floor((input.nowMs ?? Date.now()) / 1000);
  let payload: unknown;
  try {
    const key = await importPublicKey(jwk);
    ({ payload } = await jwtVerify(input.token, key, {
      algorithms: ['EdDSA'],
      audience: input.audience,
      issuer: nodeId.data,
      currentDate: new Date(nowS * 1000),
      clockTolerance: 5,
      requiredClaims: ['iat', 'exp', 'jti'],
    }));
  } catch (err) {
    return deny((err as { code?: string }).code ?? 'invalid token');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return deny('missing claims');
  const c = claims.data;
  if (c.sub !== c.iss) return deny('subject differs from issuer');
  if (c.exp - c.iat > NODE_TOKEN_MAX_LIFETIME_S) return deny(`lifetime over ${NODE_TOKEN_MAX_LIFETIME_S} s`);
  if (c.iat > nowS + 5) return deny('issued in the future');
  if (c.htm !== input.method.toUpperCase() || c.htu !== input.path) return deny('token bound to another request');
  if (c.bh !== (await bodyHash(input.body))) return deny('body does not match the signed hash');
  return c;
}
