import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import { verifyNodeRequest } from '../../shared/node-auth.ts';
import type { HubEnv } from '../env.ts';
import { userPrincipal } from '../identity/principal.ts';
import { BRIDGE_PREFIX, isNodeSignedRoute, isPublicApiRoute } from '../identity/public-routes.ts';
import { TOUCH_INTERVAL_MS, activeNodeKey, claimNodeToken, touchNode } from '../nodes/node-repo.ts';

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!m) throw new AppError('unauthenticated', 'authorization header must be "Bearer <token>"');
  return m[1];
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
    let lastSeenAt: Date | null = null;
    const claims = await verifyNodeRequest({
      token,
      audience: services.config.PUBLIC_URL,
      method: c.req.method,
      path: path + url.search,
      body,
      publicJwkFor: async (nodeId) => {
        const node = await activeNodeKey(services, nodeId);
        lastSeenAt = node?.lastSeenAt ?? null;
        return node?.publicJwk;
      },
      nowMs: services.clock.now().getTime(),
    });
    if (!(await claimNodeToken(services, claims.jti, claims.iss, new Date(claims.exp * 1000)))) {
      throw new AppError('unauthenticated', 'node authentication failed: token already used');
    }
    const now = services.clock.now().getTime();
    if (!lastSeenAt || now - (lastSeenAt as Date).getTime() > TOUCH_INTERVAL_MS) await touchNode(services, claims.iss);
    c.set('principal', { kind: 'node', nodeId: claims.iss });
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
