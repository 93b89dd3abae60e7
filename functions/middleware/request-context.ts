import { createMiddleware } from 'hono/factory';
import type { HubEnv } from '../env.ts';
import type { Services } from '../services.ts';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/** Injects the services, gives each request an id (kept from a sane incoming header) and logs it. */
export const requestContext = (services: Services) =>
  createMiddleware<HubEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    const log = services.logger.child({ requestId });
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('principal', { kind: 'anonymous' });
    const started = Date.now();
    await next();
    c.header('x-request-id', requestId);
    const principal = c.get('principal');
    log.info('request', {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      ms: Date.now() - started,
      who: principal.kind === 'user' ? principal.user.sub : principal.kind === 'node' ? `node:${principal.nodeId}` : 'anonymous',
    });
  });
