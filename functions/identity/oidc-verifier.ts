// Verifies users' OIDC access tokens (LS-AAI in production, scripts/oidc locally) offline against the
// issuer's published keys. Web-standard APIs only: the same code runs on Node, Lambda and Workers.
import { createRemoteJWKSet, customFetch, type JWTPayload, jwtVerify } from 'jose';
import { AppError } from '../../shared/errors.ts';
import type { UserVerifier, VerifiedUser } from './principal.ts';

export type { VerifiedUser } from './principal.ts';

export interface OidcVerifierOptions {
  /** Must equal the tokens' `iss` to the character (`127.0.0.1` is not `localhost`). */
  issuer: string;
  /** The hub's identifier: tokens minted for anything else are refused. */
  audience: string;
  /** Skips discovery when set. */
  jwksUrl?: string;
  fetchImpl?: typeof fetch;
  /** How soon after a key-set fetch an unknown `kid` may trigger another; guards the issuer. */
  jwksCooldownMs?: number;
}

// Asymmetric only: an HS* token would be "signed" with a key anyone could hold, `none` with none.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_LENGTH = 16 * 1024;

const unauthenticated = (reason: string) => new AppError('unauthenticated', reason);

async function discoverJwksUrl(issuer: string, fetchImpl: typeof fetch): Promise<URL> {
  const res = await fetchImpl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const meta = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // OpenID Connect Discovery 4.3: a document naming another issuer must not be trusted.
  if (meta.issuer !== issuer) throw new Error('discovery names another issuer');
  if (typeof meta.jwks_uri !== 'string') throw new Error('discovery names no jwks_uri');
  return new URL(meta.jwks_uri);
}

const PROVIDER_UNAVAILABLE = 'identity provider keys unavailable';

function reasonFor(err: unknown): string {
  if (err instanceof AppError) return err.message;
  const { code, claim, reason } = (err ?? {}) as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return 'token from another issuer';
      if (claim === 'aud') return 'token for another audience';
      if (claim === 'nbf') return 'token not yet valid';
      return `token claim ${claim ?? '?'} ${reason === 'missing' ? 'missing' : 'invalid'}`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'token signed by an unknown key';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token signature invalid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'token algorithm not allowed';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'malformed token';
    default:
      // Key set fetch failures, timeouts: nothing the caller's token is to blame for, no detail to leak.
      return PROVIDER_UNAVAILABLE;
  }
}

function toUser(payload: JWTPayload): VerifiedUser {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('token has no subject');
  const raw = payload.eduperson_entitlement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return {
    sub: payload.sub,
    ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    entitlements: list.filter((e): e is string => typeof e === 'string'),
  };
}

/** A verifier of hub access tokens; every refusal is an AppError('unauthenticated') with a short reason. */
export function createOidcVerifier(opts: OidcVerifierOptions): UserVerifier {
  // Wrapped: Workers throw "Illegal invocation" when a detached global fetch is called.
  const fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  // Resolved on first use, so a hub can start while its issuer is still starting; a failure is not
  // cached, so the next request tries again.
  const keys = () => {
    if (!keySet) {
      const pending = (async () => {
        const url = opts.jwksUrl ? new URL(opts.jwksUrl) : await discoverJwksUrl(opts.issuer, fetchImpl);
        return createRemoteJWKSet(url, {
          cooldownDuration: opts.jwksCooldownMs ?? 30_000,
          [customFetch]: (input, init) => fetchImpl(input, init),
        });
      })();
      keySet = pending;
      pending.catch(() => {
        if (keySet === pending) keySet = undefined;
      });
    }
    return keySet;
  };

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') throw unauthenticated('missing token');
      if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('token too long');
      let jwks: Awaited<ReturnType<typeof keys>>;
      try {
        jwks = await keys();
      } catch {
        throw new AppError('unavailable', 'identity provider discovery failed');
      }
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'sub'],
        });
        return toUser(payload);
      } catch (err) {
        const reason = reasonFor(err);
        // The provider being unreachable is not the caller's fault: 503, so clients retry instead of logging out.
        if (reason === PROVIDER_UNAVAILABLE) throw new AppError('unavailable', reason);
        throw unauthenticated(reason);
      }
    },
  };
}
