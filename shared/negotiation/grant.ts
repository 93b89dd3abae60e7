// Access grants as signed statements: when a dataset reaches RESOURCE_MADE_AVAILABLE the hub signs
// one (EdDSA JWS with its own grant key), and a node checks it offline with the hub's public key
// before it lets the data be processed — no call back to the hub, so the check works behind any
// firewall and keeps working while the hub is down.
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWK, type JSONWebKeySet, SignJWT, importJWK, jwtVerify } from 'jose';
import { z } from 'zod';
import { idPattern } from '../ids.ts';
import type { PrivateJwk } from '../node-auth.ts';

export const GRANT_TYP = 'grant+jwt';

/** How the data may be used, from the seed's three models (section 4.7). */
export const accessConditions = ['DOWNLOAD', 'IN_SITU_PROCESSING', 'REMOTE_PROCESSING'] as const;
export type AccessCondition = (typeof accessConditions)[number];

/** The claims a grant carries, as the JWT payload. */
export const grantClaimsSchema = z
  .object({
    iss: z.string().url(),
    /** The user the grant is for: their OIDC subject. */
    sub: z.string().min(1).max(255),
    /** The grant id. */
    jti: z.string().regex(idPattern('grt'), 'not a grant id'),
    iat: z.number().int(),
    exp: z.number().int(),
    dataset: z.string().min(1).max(255),
    access: z.enum(accessConditions),
    conditions: z.string().max(10_000),
    negotiation: z.string().regex(idPattern('neg'), 'not a negotiation id'),
  })
  .strict()
  .refine((c) => c.exp > c.iat, { message: 'expires before it was issued', path: ['exp'] });
export type GrantClaims = z.infer<typeof grantClaimsSchema>;

/** A grant as the hub issues it; times in seconds since the epoch like every JWT. */
export type GrantInput = Omit<GrantClaims, 'iss' | 'iat'>;

export async function signGrant(input: {
  claims: GrantInput;
  issuer: string;
  privateJwk: PrivateJwk;
  kid: string;
  nowMs: number;
}): Promise<string> {
  const iat = Math.floor(input.nowMs / 1000);
  const claims = grantClaimsSchema.parse({ ...input.claims, iss: input.issuer, iat });
  return new SignJWT({ dataset: claims.dataset, access: claims.access, conditions: claims.conditions, negotiation: claims.negotiation })
    .setProtectedHeader({ alg: 'EdDSA', typ: GRANT_TYP, kid: input.kid })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(await importJWK(input.privateJwk as JWK, 'EdDSA'));
}

export const grantRefusalReasons = ['malformed', 'bad_signature', 'expired', 'wrong_issuer', 'wrong_user', 'wrong_dataset'] as const;
export type GrantRefusalReason = (typeof grantRefusalReasons)[number];

export class GrantRefused extends Error {
  constructor(readonly reason: GrantRefusalReason) {
    super(`grant refused: ${reason}`);
    this.name = 'GrantRefused';
  }
}

export interface VerifyGrantOptions {
  /** The hub that must have issued it (its PUBLIC_URL). */
  issuer?: string;
  /** Refuse a grant held by someone else, or presented for another dataset. */
  user?: string;
  dataset?: string;
  nowMs?: number;
}

/**
 * Checks a grant against the hub's published grant keys (`GET /api/v1/negotiation/keys`), with no
 * network access: signature, type, issuer, expiry and claim shapes, then who and what it is for.
 */
export async function verifyGrant(jws: string, publicJwks: JSONWebKeySet, opts: VerifyGrantOptions = {}): Promise<GrantClaims> {
  try {
    const header = decodeProtectedHeader(jws);
    decodeJwt(jws);
    // A grant is only ever EdDSA; refusing other algorithms up front closes alg-confusion tricks.
    if (header.alg !== 'EdDSA' || header.typ !== GRANT_TYP) throw new GrantRefused('malformed');
  } catch (err) {
    throw err instanceof GrantRefused ? err : new GrantRefused('malformed');
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(jws, createLocalJWKSet(publicJwks), {
      algorithms: ['EdDSA'],
      typ: GRANT_TYP,
      currentDate: new Date(opts.nowMs ?? Date.now()),
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'iss'],
    }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new GrantRefused('expired');
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || code === 'ERR_JWKS_NO_MATCHING_KEY') throw new GrantRefused('bad_signature');
    throw new GrantRefused('malformed');
  }
  const claims = grantClaimsSchema.safeParse(payload);
  if (!claims.success) throw new GrantRefused('malformed');
  if (opts.issuer !== undefined && claims.data.iss !== opts.issuer) throw new GrantRefused('wrong_issuer');
  if (opts.user !== undefined && claims.data.sub !== opts.user) throw new GrantRefused('wrong_user');
  if (opts.dataset !== undefined && claims.data.dataset !== opts.dataset) throw new GrantRefused('wrong_dataset');
  return claims.data;
}
