import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { explorerOrigins } from '../identity/explorer-session.ts';

/**
 * CORS for the Spot routes, with credentials, for the configured explorer origins only (samply/spot
 * allows GET and POST with `Content-Type` from one configured origin, without credentials: here the
 * explorer's cookie must travel, so the origin is echoed exactly, never `*`). A JSON POST from another
 * origin always needs a preflight, which is refused here unless the origin is an explorer's; the
 * session's own Origin check (identity/explorer-session.ts) stands behind it for browsers that skip it.
 * Errors carry the headers too, so an explorer can read a 401 and send its user to log in.
 */
export const spotCors = createMiddleware<HubEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  const allowed = origin !== undefined && explorerOrigins(c.get('services').config).includes(origin);
  c.header('vary', 'Origin');
  if (allowed) {
    c.header('access-control-allow-origin', origin);
    c.header('access-control-allow-credentials', 'true');
    c.header('access-control-expose-headers', 'location');
  }
  if (c.req.method === 'OPTIONS') {
    if (!allowed) throw new AppError('forbidden', `${origin ?? 'a page without an origin'} is not one of the hub's explorer origins`);
    c.header('access-control-allow-methods', 'GET, POST, DELETE');
    c.header('access-control-allow-headers', 'content-type, authorization');
    c.header('access-control-max-age', '600');
    return c.body(null, 204);
  }
  await next();
});
