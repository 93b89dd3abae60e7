import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import { verifyNodeRequest } from '../../shared/node-auth.ts';
import type { HubEnv } from '../env.ts';
import type { Services } from '../services.ts';
import { ACCESS, type Credential } from '../api/access.ts';
import { declarationOf } from '../api/hub-router.ts';
import { explorerSessionUser } from '../identity/explorer-session.ts';
import { userPrincipal } from '../identity/principal.ts';
import { claimNodeCall, forgetNodeKey, nodeKey } from '../nodes/node-repo.ts';

/** Where the bridge protocol lives: an undeclared path under it wants a node token, like its routes. */
const BRIDGE_PREFIX = '/api/v1/bridge/';

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // RFC 6750 section 2.1 with RFC 7235 section 2.1: the scheme name is case-insensitive.
  const m = /^bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!m) throw new AppError('unauthenticated', 'authorization header must be "Bearer <token>"');
  return m[1];
}

/**
 * A bridge call: signature (with the node's key, remembered per isolate), audience, lifetime, request
 * binding, then one statement that checks the key is still the node's active key, spends the token id
 * and refreshes last-seen. A remembered key that no longer verifies or no longer matches is dropped
 * and the call decided again on the stored key, so a key change or a disabled node takes effect at once.
 */
async function authenticateNodeCall(
  services: Services,
  req: { token: string; method: string; path: string; body: string },
): Promise<string> {
  const attempt = async (fresh: boolean) => {
    let key: Awaited<ReturnType<typeof nodeKey>>;
    const claims = await verifyNodeRequest({
      ...req,
      audience: services.config.PUBLIC_URL,
      publicJwkFor: async (nodeId) => {
        key = await nodeKey(services, nodeId, fresh);
        return key?.publicJwk;
      },
      nowMs: services.clock.now().getTime(),
    }).catch((err: unknown) => {
      if (key?.cached) return undefined;
      throw err;
    });
    if (!claims || !key) return { outcome: 'stale_key' as const, cached: true, nodeId: '' };
    const outcome = await claimNodeCall(services, {
      nodeId: claims.iss,
      keyX: key.publicJwk.x,
      jti: claims.jti,
      expiresAt: new Date(claims.exp * 1000),
    });
    return { outcome, cached: key.cached, nodeId: claims.iss };
  };
  let result = await attempt(false);
  if (result.outcome === 'stale_key' && result.cached) {
    if (result.nodeId) forgetNodeKey(services, result.nodeId);
    result = await attempt(true);
  }
  if (result.outcome === 'stale_key') throw new AppError('unauthenticated', 'node authentication failed: unknown node');
  if (result.outcome === 'replayed') throw new AppError('unauthenticated', 'node authentication failed: token already used');
  return result.nodeId;
}

/**
 * Decides who is calling, from what the matched route declares (`ACCESS[access].credential`): public
 * routes read no token at all, so a bridge's signed token or a stale user token cannot fail them;
 * `public-user` routes verify a user's token when one is sent; `explorer` routes take a user's token or
 * else the explorer session cookie (identity/explorer-session.ts); node routes accept only node tokens
 * (bound to this exact request and single-use); the others need a user's token. A path no declared
 * route matches is denied by default: a node token under the bridge prefix, a user's token elsewhere.
 */
export const authenticate = createMiddleware<HubEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const path = url.pathname;
  // The tracer keeps CHAIMELEON's paths (/tracer/api/v1/...), outside /api: guarded the same way.
  if (!path.startsWith('/api/') && !path.startsWith('/tracer/')) return next();
  const declared = declarationOf(c);
  const credential: Credential = declared ? ACCESS[declared.access].credential : path.startsWith(BRIDGE_PREFIX) ? 'node' : 'user';
  if (credential === 'none') return next();
  const services = c.get('services');
  const token = bearer(c.req.header('authorization'));

  if (credential === 'node') {
    if (!token) throw new AppError('unauthenticated', 'node token required');
    const body = ['GET', 'HEAD'].includes(c.req.method) ? '' : await c.req.text();
    const nodeId = await authenticateNodeCall(services, { token, method: c.req.method, path: path + url.search, body });
    c.set('principal', { kind: 'node', nodeId });
    return next();
  }
  if (token) {
    const user = await services.users.verify(token);
    c.set('principal', userPrincipal(user, services.config));
  } else if (credential === 'session') {
    // The explorer's browser sends its session cookie, not a header (an EventSource cannot set one).
    const user = await explorerSessionUser(c);
    if (!user) throw new AppError('unauthenticated', 'log in to use the explorer: no bearer token and no explorer session');
    c.set('principal', userPrincipal(user, services.config));
  } else if (credential === 'user') {
    throw new AppError('unauthenticated', 'log in to use this route');
  }
  return next();
});
