import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { buildApp } from '../app.ts';
import { loadHubConfig } from '../config.ts';
import { createNodeServices } from './node-services.ts';
import { runMaintenance } from '../maintenance.ts';
import { isServerPath } from '../../shared/server-paths.ts';

/** Plain Node: the hub API plus the built web app, on embedded defaults unless configured otherwise. */
export async function startNodeHub(
  env: Record<string, string | undefined>,
  opts: { port?: number; host?: string; webRoot?: string } & Parameters<typeof createNodeServices>[1] = {},
) {
  const config = loadHubConfig(env);
  const { services, close } = await createNodeServices(config, opts);
  const app = buildApp(services);
  if (opts.webRoot) {
    const { webRoot } = opts;
    app.use('/*', serveStatic({ root: webRoot }));
    // The web app routes on the client: any other page path gets its index.html, as Workers assets
    // do in single-page-application mode. API paths still end in the JSON 404.
    const indexHtml = serveStatic({ path: `${webRoot}/index.html` });
    app.get('*', (c, next) => (isServerPath(c.req.path) ? next() : indexHtml(c, next)));
  }
  // Every 2 s so search deadlines close promptly; the sweep is a few indexed statements.
  const sweep = setInterval(() => {
    runMaintenance(services).catch((e) => services.logger.error('maintenance failed', { error: (e as Error).message }));
  }, 2000);
  const server = serve({ fetch: app.fetch, port: opts.port ?? Number(env.PORT ?? 8080), hostname: opts.host ?? env.HOST ?? '127.0.0.1' });
  try {
    // A port in use must fail the start with its reason, not leave an unhandled error behind.
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
  } catch (err) {
    clearInterval(sweep);
    await close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    services,
    async stop() {
      clearInterval(sweep);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    },
  };
}
