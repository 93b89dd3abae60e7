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
    let res: Response;
    try {
      res = await buildApp(hub.services).fetch(request);
    } catch (err) {
      ctx.waitUntil(hub.close());
      throw err;
    }
    // JSON bodies are complete by now: the socket closes after the response is sent. An event stream
    // keeps reading the database after this returns, so it closes when the stream ends (or the client goes).
    if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
      ctx.waitUntil(hub.close());
      return res;
    }
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    ctx.waitUntil(
      res.body
        .pipeTo(writable)
        .catch(() => {})
        .finally(() => hub.close()),
    );
    return new Response(readable, res);
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
