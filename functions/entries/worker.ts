import { buildApp } from '../app.ts';
import { createWorkerServices, startupErrorResponse, type WorkerContext, type WorkerEnv } from '../runtime/worker-services.ts';
import { runMaintenance } from '../maintenance.ts';

// Cloudflare Workers: [assets] serves the web app, /api/* reaches this fetch handler (wrangler.toml),
// and the cron runs the sweep, incl. the hub's delayed tasks in Postgres (the stand-in for SQS delays).
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    let hub: Awaited<ReturnType<typeof createWorkerServices>>;
    try {
      hub = await createWorkerServices(env);
    } catch (err) {
      return startupErrorResponse(err);
    }
    try {
      return await buildApp(hub.services).fetch(request);
    } finally {
      // The response is complete by now (JSON bodies); the socket closes after it is sent.
      ctx.waitUntil(hub.close());
    }
  },

  async scheduled(_controller: unknown, env: WorkerEnv): Promise<void> {
    const { services, close } = await createWorkerServices(env);
    try {
      services.logger.info('maintenance', await runMaintenance(services));
    } finally {
      await close();
    }
  },
};
