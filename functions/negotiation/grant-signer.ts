import { calculateJwkThumbprint, type JWK } from 'jose';
import { AppError } from '../../shared/errors.ts';
import { type GrantInput, signGrant } from '../../shared/negotiation/grant.ts';
import type { PrivateJwk, PublicJwk } from '../../shared/node-auth.ts';

export type GrantPublicKey = PublicJwk & { kid: string; alg: 'EdDSA'; use: 'sig' };

/**
 * Signs access grants with the hub's grant key, its own Ed25519 key: a leaked job or tracer key
 * must not be able to mint permissions to data, nor a leaked grant key forge jobs.
 */
export interface GrantSigner {
  readonly issuer: string;
  /** What nodes pin to verify grants offline; empty when no key is configured. */
  publicKeys(): GrantPublicKey[];
  sign(claims: GrantInput, nowMs: number): Promise<string>;
}

export async function createGrantSigner(privateJwk: PrivateJwk, issuer: string): Promise<GrantSigner> {
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x };
  const kid = await calculateJwkThumbprint(publicJwk as JWK);
  return {
    issuer,
    publicKeys: () => [{ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }],
    sign: (claims, nowMs) => signGrant({ claims, issuer, privateJwk, kid, nowMs }),
  };
}

/** The stand-in where no key is configured (Workers, Lambda without GRANT_SIGNING_KEY): refuses by name. */
export function refusingGrantSigner(issuer: string): GrantSigner {
  return {
    issuer,
    publicKeys: () => [],
    sign: async () => {
      throw new AppError('unavailable', 'the hub has no grant signing key (set GRANT_SIGNING_KEY)');
    },
  };
}

// Per isolate on Workers, like the job signer: the key id is computed once, not per request.
const cached = new Map<string, Promise<GrantSigner>>();

/** The signer for a configured key, or the refusing one; cached per key and issuer. */
export function grantSignerFor(key: PrivateJwk | undefined, issuer: string): Promise<GrantSigner> {
  if (!key) return Promise.resolve(refusingGrantSigner(issuer));
  const cacheKey = `${key.x} ${issuer}`;
  let signer = cached.get(cacheKey);
  if (!signer) {
    signer = createGrantSigner(key, issuer);
    cached.set(cacheKey, signer);
  }
  return signer;
}
