import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import { verifyNodeRequest } from '../../shared/node-auth.ts';
import type { HubEnv } from '../env.ts';
import type { Services } from '../services.ts';
import { userPrincipal } from '../identity/principal.ts';
import { BRIDGE_PREFIX, isNodeSignedRoute, isPublicApiRoute } from '../identity/public-routes.ts';
import { claimNodeCall, forgetNodeKey, nodeKey } from '../nodes/node-repo.ts';

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
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
 * Decides who is calling. Bridge routes accept only node tokens (bound to this exact request and
 * single-use); other API routes accept user tokens; anything not on the public list needs one.
 */
export const authenticate = createMiddleware<HubEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const path = url.pathname;
  // The tracer keeps CHAIMELEON's paths (/tracer/api/v1/...), outside /api: guarded the same way.
  if (!path.startsWith('/api/') && !path.startsWith('/tracer/')) return next();
  const services = c.get('services');
  const token = bearer(c.req.header('authorization'));
  const isPublic = isPublicApiRoute(c.req.method, path);

  if ((path.startsWith(BRIDGE_PREFIX) || isNodeSignedRoute(c.req.method, path)) && !isPublic) {
    if (!token) throw new AppError('unauthenticated', 'node token required');
    const body = ['GET', 'HEAD'].includes(c.req.method) ? '' : await c.req.text();
    const nodeId = await authenticateNodeCall(services, { token, method: c.req.method, path: path + url.search, body });
    c.set('principal', { kind: 'node', nodeId });
    return next();
  }
  if (token) {
    const user = await services.users.verify(token);
    c.set('principal', userPrincipal(user, services.config));
  } else if (!isPublic) {
    throw new AppError('unauthenticated', 'log in to use this route');
  }
  return next();
});
