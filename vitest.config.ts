import { defineConfig } from 'vitest/config';

// One project per runtime or kind of suite; scripts/test.ts decides which can run on this machine.
export default defineConfig({
  test: {
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
      { test: { name: 'lambda', include: ['test/lambda/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
    ],
  },
});
