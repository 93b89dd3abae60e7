// The few exports of the Workers test modules these tests use, typed by hand. The complete types
// (@cloudflare/workers-types, `wrangler types`) redeclare Request, Response and friends for the whole
// program, which would change what the rest of the repo type-checks against.
declare module 'cloudflare:workers' {
  import type { WorkerEnv } from '../../functions/runtime/worker-services.ts';
  /** The bindings from wrangler.toml, with the overrides of the `workers` vitest project. */
  export const env: WorkerEnv & { HYPERDRIVE: { connectionString: string } };
  /** The Worker under test (wrangler.toml `main`), called through the runtime like a real request. */
  export const exports: { default: { fetch(input: Request | string, init?: RequestInit): Promise<Response> } };
}

declare module 'cloudflare:test' {
  import type { WorkerContext } from '../../functions/runtime/worker-services.ts';
  export function createExecutionContext(): WorkerContext;
  export function waitOnExecutionContext(ctx: WorkerContext): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: number | Date; cron?: string }): unknown;
}
