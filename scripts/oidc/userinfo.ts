// The provider's userinfo endpoint, answering as LS-AAI's does for a relying party's access token.
//
// - LS-AAI answers its own JWT access tokens, whose `aud` is the client (GHGA's auth adapter and the
//   BBMRI-ERIC Negotiator send theirs there). oidc-provider's built-in userinfo refuses any token with an
//   audience ("token audience prevents accessing the userinfo endpoint", lib/actions/userinfo.js), and
//   hub tokens have one, so this endpoint stands in for it at the same path.
// - Claims follow the scopes the token was granted (LS-AAI's scope table: openid -> sub, profile -> name,
//   email -> email, and `eduperson_entitlement` -> the groups; the Negotiator and GHGA read them here).
// - RFC 6750 3.1 errors: 401 invalid_token for a token it did not issue or that expired, 403
//   insufficient_scope for a token without `openid` (OpenID Connect Core 5.3).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import { accountClaims, findDemoAccount } from './accounts.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

function publicKeys(keys: readonly JWK[]): { keys: JWK[] } {
  return {
    keys: keys.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !(PRIVATE_MEMBERS as readonly string[]).includes(name)))),
  };
}

function send(res: ServerResponse, status: number, body: unknown, challenge?: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  if (challenge) res.setHeader('www-authenticate', challenge);
  res.end(JSON.stringify(body));
}

/** The claims each scope releases; `eduperson_entitlement` only when that scope was granted. */
export function userinfoClaims(sub: string, scopes: ReadonlySet<string>): Record<string, unknown> | undefined {
  const account = findDemoAccount(sub);
  if (!account) return undefined;
  const all = accountClaims(account);
  return {
    sub: all.sub,
    ...(scopes.has('profile') ? { name: all.name, preferred_username: all.preferred_username } : {}),
    ...(scopes.has('email') ? { email: all.email, email_verified: all.email_verified } : {}),
    ...(scopes.has('eduperson_entitlement') ? { eduperson_entitlement: all.eduperson_entitlement } : {}),
  };
}

/** Answers `path` (GET or POST with a bearer token); returns false for any other request. */
export function createUserinfoHandler(opts: { issuer: string; path: string; signingKeys: readonly JWK[]; onCall?: () => void }) {
  const keys = createLocalJWKSet(publicKeys(opts.signingKeys));
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== opts.path) return false;
    opts.onCall?.();
    if (req.method !== 'GET' && req.method !== 'POST') {
      send(res, 405, { error: 'invalid_request', error_description: 'use GET or POST' });
      return true;
    }
    const bearer = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) {
      send(res, 401, { error: 'invalid_request', error_description: 'no access token' }, 'Bearer realm="userinfo"');
      return true;
    }
    let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload: claims } = await jwtVerify(bearer, keys, { issuer: opts.issuer, requiredClaims: ['sub', 'exp'] }));
    } catch {
      send(res, 401, { error: 'invalid_token', error_description: 'invalid token' }, 'Bearer realm="userinfo", error="invalid_token"');
      return true;
    }
    const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
    if (!scopes.has('openid')) {
      send(res, 403, { error: 'insufficient_scope' }, 'Bearer realm="userinfo", error="insufficient_scope", scope="openid"');
      return true;
    }
    const body = userinfoClaims(String(claims.sub), scopes);
    if (!body)
      send(res, 401, { error: 'invalid_token', error_description: 'unknown subject' }, 'Bearer realm="userinfo", error="invalid_token"');
    else send(res, 200, body);
    return true;
  };
}
