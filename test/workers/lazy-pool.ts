import type { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import type { Plugin } from 'vitest/config';

type PoolOptions = Parameters<typeof cloudflareTest>[0];

// Vite hooks are either a function or `{ order, handler }`; the pool's are plain functions today.
// biome-ignore lint/suspicious/noExplicitAny: forwards whatever arguments Vite passes
type AnyHook = ((this: unknown, ...args: any[]) => unknown) | { handler: (this: unknown, ...args: any[]) => unknown } | undefined;
const handlerOf = (hook: AnyHook) => (typeof hook === 'function' ? hook : hook?.handler);

/**
 * `cloudflareTest(options)`, but the pool is imported only when the workers project is being set
 * up. The pool loads wrangler, which added ~6 s to every vitest run of every other project here.
 * The `config` hook is ordered last, after vitest has dropped projects that `--project` filters
 * out; the other hooks run later still and forward to the real plugin.
 */
export function lazyCloudflareTest(options: PoolOptions): Plugin {
  let pool: Plugin | undefined;
  const forward = (name: 'configureVitest' | 'resolveId' | 'load') =>
    function (this: unknown, ...args: unknown[]) {
      if (!pool) throw new Error(`the Workers pool plugin's ${name} hook ran before its config hook`);
      return handlerOf(pool[name] as AnyHook)?.apply(this, args);
    };
  return {
    // The pool finds its plugin by this name to tell it the Worker's entry module.
    name: '@cloudflare/vitest-pool-workers',
    api: {
      setMain(main: string | undefined) {
        pool?.api.setMain(main);
      },
    },
    config: {
      order: 'post',
      async handler(...args) {
        pool = (await import('@cloudflare/vitest-pool-workers')).cloudflareTest(options);
        return handlerOf(pool.config as AnyHook)?.apply(this, args);
      },
    },
    configureVitest: forward('configureVitest'),
    resolveId: forward('resolveId'),
    load: forward('load'),
  } as Plugin;
}
