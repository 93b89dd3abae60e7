import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../shared/errors.ts';
import { apiDocsRoutes } from './api/routes.ts';
import type { HubEnv } from './env.ts';
import { fdpRoutes } from './fdp/routes.ts';
import { harvestRoutes } from './harvest/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { interestRoutes } from './helpdesk/interest-routes.ts';
import { outboxRoutes } from './helpdesk/outbox-routes.ts';
import { helpdeskRoutes } from './helpdesk/routes.ts';
import { bridgeRoutes } from './jobs/bridge-routes.ts';
import { meRoutes, webConfigRoutes } from './me/routes.ts';
import { catalogueRoutes } from './catalogue/routes.ts';
import { authenticate } from './middleware/authenticate.ts';
import { notFound, onError } from './middleware/errors.ts';
import { requestContext } from './middleware/request-context.ts';
import { negotiationRoutes } from './negotiation/routes.ts';
import { bridgeProtocol } from './nodes/protocol.ts';
import { nodeRoutes } from './nodes/routes.ts';
import { pidRoutes } from './pid/routes.ts';
import { runRoutes } from './processing/run-routes.ts';
import { toolRoutes } from './processing/tool-routes.ts';
import { UPLOAD_PATH } from './processing/uploads.ts';
import { isAttachmentUpload } from './negotiation/attachments.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { spotCors } from './spot/cors.ts';
import { spotRoutes } from './spot/routes.ts';
import type { Services } from './services.ts';
import { tracerBodyLimit, tracerRoutes } from './tracer/routes.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

const apiBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('payload_too_large', `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  },
});

type Routes = readonly { method: string; path: string; handler: unknown }[];

/**
 * Every route of the hub, each declared once with who may call it and its schemas
 * (functions/api/hub-router.ts); each router is mounted once. Independent of the services, so the
 * API description and the access table are built from it without a running hub.
 */
export const apiRoutes = new Hono<HubEnv>()
  .route('/api/v1/health', healthRoutes)
  .route('/api/v1/web-config', webConfigRoutes)
  .route('/api/v1/me', meRoutes)
  .route('/api/v1/nodes', nodeRoutes)
  .route('/api/v1/bridge', bridgeRoutes)
  .route('/api/v1/tools', toolRoutes)
  .route('/api/v1/runs', runRoutes)
  .route('/api/v1/search', searchRoutes)
  .route('/api/v1/spot', spotRoutes)
  .route('/api/v1/catalogue/harvest-sources', harvestRoutes)
  .route('/api/v1/catalogue', catalogueRoutes)
  .route('/api/v1/me/notifications', notificationRoutes)
  .route('/api/v1/helpdesk', helpdeskRoutes)
  .route('/api/v1/expressions-of-interest', interestRoutes)
  .route('/api/v1/outbox', outboxRoutes)
  .route('/api', negotiationRoutes)
  .route(
    '/api',
    apiDocsRoutes((): Routes => apiRoutes.routes),
  )
  .route('/tracer/api/v1', tracerRoutes)
  .route('/fdp', fdpRoutes)
  .route('/pid', pidRoutes);

/** The whole hub API, built from injected services; runtime entries only adapt it. */
export function buildApp(services: Services) {
  const app = new Hono<HubEnv>()
    .use('*', requestContext(services))
    // Before authentication: a preflight carries no credentials, and refusals must carry CORS headers.
    .use('/api/v1/spot/*', spotCors)
    .use('/api/*', (c, next) =>
      // Result uploads are bounded by their own token (exact length and hash), not by this limit.
      // Negotiation attachments are bounded while streaming by NEGOTIATION_ATTACHMENT_MAX_BYTES.
      (c.req.method === 'PUT' && c.req.path.startsWith(UPLOAD_PATH)) || isAttachmentUpload(c.req.method, c.req.path)
        ? next()
        : apiBodyLimit(c, next),
    )
    .use('/api/v1/bridge/*', bridgeProtocol)
    .use('/api/*', authenticate)
    .use('/tracer/*', tracerBodyLimit)
    .use('/tracer/*', authenticate)
    .route('/', apiRoutes);
  app.onError(onError);
  app.notFound(notFound);
  return app;
}

export type AppType = ReturnType<typeof buildApp>;
