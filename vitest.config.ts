import { defineConfig } from 'vitest/config';
import { lazyCloudflareTest } from './test/workers/lazy-pool.ts';

// One project per runtime or kind of suite; scripts/test.ts decides which can run on this machine.
export default defineConfig({
  test: {
    // workerd reports a socket closed by postgres.js (end of each Worker request) as an unhandled
    // "Stream was cancelled." after the test has passed; vitest reads this hook from the root only.
    onUnhandledError: (err) => (err as { message?: string } | undefined)?.message !== 'Stream was cancelled.',
    projects: [
      {
        test: {
          name: 'node',
          include: ['{functions,shared,bridge,web,scripts}/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'adapters', include: ['test/adapters/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      {
        // Runs inside workerd with wrangler.toml's bindings; Hyperdrive points at the database
        // test/workers/global-setup.ts creates (it needs TEST_DATABASE_URL).
        plugins: [
          lazyCloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            remoteBindings: false,
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject('hyperdriveUrl') },
              bindings: {
                JOB_SIGNING_KEY: inject('jobSigningKey'),
                LOG_LEVEL: 'silent',
                OIDC_ISSUER: inject('oidcIssuer'),
                OIDC_JWKS_URL: inject('oidcJwksUrl'),
              },
            },
          })),
        ],
        // As wrangler.toml's [alias]: the SDK's browser XML parser needs DOMParser, which workerd lacks.
        // As wrangler.toml's [alias]: n3's readable-stream polyfill fails in workerd; nodejs_compat's stream serves.
        resolve: {
          alias: [
            { find: /^@aws-sdk\/xml-builder$/, replacement: '@aws-sdk/xml-builder/dist-cjs/index.js' },
            { find: /^readable-stream$/, replacement: new URL('./functions/fdp/readable-stream-shim.ts', import.meta.url).pathname },
          ],
        },
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          globalSetup: ['test/workers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'lambda', include: ['test/lambda/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      // The bridge image, built offline once per run (global setup), run as a site runs it; one file at a time.
      {
        test: {
          name: 'image',
          include: ['test/image/**/*.test.ts'],
          globalSetup: ['test/image/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      // Real containers through a private Podman per file (test/support/podman.ts); one file at a time.
      {
        test: {
          name: 'processing',
          include: ['test/processing/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
