// Verifies users' OIDC access tokens (LS-AAI in production, scripts/oidc locally) offline against the
// issuer's published keys, then completes them with what the provider releases at userinfo (LS-AAI puts
// `eduperson_entitlement` there, not in access tokens). Web-standard APIs only: the same code runs on
// Node, Lambda and Workers.
import { createRemoteJWKSet, customFetch, type JWTPayload, jwtVerify } from 'jose';
import { AppError } from '../../shared/errors.ts';
import type { HubConfig } from '../config.ts';
import { createDiscovery } from './oidc-discovery.ts';
import type { UserVerifier, VerifiedUser } from './principal.ts';
import { createUserinfoLookup, entitlementList, type UserinfoLookup } from './userinfo.ts';

export type { VerifiedUser } from './principal.ts';

export interface OidcVerifierOptions {
  /**
   * The provider's issuer, with or without a trailing slash: with discovery, tokens must carry the issuer
   * exactly as the discovery document states it; with `jwksUrl` and no discovery, exactly as given here.
   */
  issuer: string;
  /** The hub's identifier (LS-AAI: the client id): tokens minted for anything else are refused. */
  audience: string;
  /** Skips discovery for the key set when set. */
  jwksUrl?: string;
  /** Skips discovery for userinfo when set. */
  userinfoUrl?: string;
  /** A userinfo lookup (and a discovery) not answered within this long is a 503. */
  userinfoTimeoutMs?: number;
  /** How long a failed userinfo lookup is remembered for its token (see userinfo.ts). */
  userinfoFailureTtlMs?: number;
  fetchImpl?: typeof fetch;
  /** How soon after a key-set fetch an unknown `kid` may trigger another; guards the issuer. */
  jwksCooldownMs?: number;
  now?: () => number;
}

/** The verifier a hub builds from its settings: one declaration for every runtime. */
export function oidcVerifierOptions(config: HubConfig): OidcVerifierOptions {
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUrl: config.OIDC_JWKS_URL,
    userinfoUrl: config.OIDC_USERINFO_URL,
    userinfoTimeoutMs: config.OIDC_USERINFO_TIMEOUT_MS,
  };
}

// Asymmetric only: an HS* token would be "signed" with a key anyone could hold, `none` with none.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_LENGTH = 16 * 1024;

const unauthenticated = (reason: string) => new AppError('unauthenticated', reason);

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

/** The user as the token states them; `entitlements` undefined when the token carries no such claim. */
function fromToken(payload: JWTPayload): Omit<VerifiedUser, 'entitlements'> & { entitlements?: string[] } {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('token has no subject');
  const entitlements = entitlementList(payload.eduperson_entitlement);
  return {
    sub: payload.sub,
    ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    ...(entitlements ? { entitlements } : {}),
  };
}

/** A verifier of hub access tokens; a refusal is AppError('unauthenticated'), a provider outage AppError('unavailable'). */
export function createOidcVerifier(opts: OidcVerifierOptions): UserVerifier & { readonly userinfo: UserinfoLookup } {
  // Wrapped: Workers throw "Illegal invocation" when a detached global fetch is called.
  const fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.userinfoTimeoutMs ?? 3000;
  const discover = createDiscovery({ issuer: opts.issuer, fetchImpl, timeoutMs });
  let keySet: Promise<{ jwks: ReturnType<typeof createRemoteJWKSet>; issuer: string }> | undefined;

  // Resolved on first use, so a hub can start while its issuer is still starting; a failure is not
  // cached, so the next request tries again.
  const keys = () => {
    if (!keySet) {
      const pending = (async () => {
        const meta = opts.jwksUrl ? undefined : await discover();
        const url = new URL(opts.jwksUrl ?? (meta?.jwksUri as string));
        const jwks = createRemoteJWKSet(url, {
          cooldownDuration: opts.jwksCooldownMs ?? 30_000,
          [customFetch]: (input, init) => fetchImpl(input, init),
        });
        return { jwks, issuer: meta?.issuer ?? opts.issuer };
      })();
      keySet = pending;
      pending.catch(() => {
        if (keySet === pending) keySet = undefined;
      });
    }
    return keySet;
  };

  const userinfo = createUserinfoLookup({
    endpoint: async () => {
      if (opts.userinfoUrl) return opts.userinfoUrl;
      const found = (await discover()).userinfoEndpoint;
      if (!found) throw new Error('discovery names no userinfo_endpoint');
      return found;
    },
    fetchImpl,
    timeoutMs,
    failureTtlMs: opts.userinfoFailureTtlMs,
    now: opts.now,
  });

  return {
    userinfo,
    async verify(token) {
      if (typeof token !== 'string' || token === '') throw unauthenticated('missing token');
      if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('token too long');
      let verified: Awaited<ReturnType<typeof keys>>;
      try {
        verified = await keys();
      } catch {
        throw new AppError('unavailable', 'identity provider discovery failed');
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, verified.jwks, {
          issuer: verified.issuer,
          audience: opts.audience,
          algorithms: ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        const reason = reasonFor(err);
        // The provider being unreachable is not the caller's fault: 503, so clients retry instead of logging out.
        if (reason === PROVIDER_UNAVAILABLE) throw new AppError('unavailable', reason);
        throw unauthenticated(reason);
      }
      const user = fromToken(payload);
      // An issuer that puts entitlements in its access tokens is believed as is; otherwise (LS-AAI) ask userinfo.
      if (user.entitlements) return { ...user, entitlements: user.entitlements };
      const extra = await userinfo.claims(token, user.sub, payload.exp as number);
      const name = user.name ?? extra.name;
      const email = user.email ?? extra.email;
      return { ...user, ...(name ? { name } : {}), ...(email ? { email } : {}), entitlements: extra.entitlements ?? [] };
    },
  };
}
