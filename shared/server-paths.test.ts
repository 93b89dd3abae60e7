import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isServerPath, SERVER_PATHS } from './server-paths.ts';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('the paths the hub answers itself', () => {
  it.each([
    ['/api/v1/health', true],
    ['/tracer/api/v1/keys', true],
    ['/fdp', true],
    ['/fdp/dataset/x', true],
    ['/pid/123', true],
    ['/catalogue/datasets/x', false],
    ['/', false],
  ])('%s is a server path: %s', (path, expected) => {
    expect(isServerPath(path)).toBe(expected);
  });

  // The deploy configurations cannot import TypeScript: they list the prefixes again, so they are read here.
  it('reach the Worker first on Cloudflare (wrangler.toml run_worker_first)', () => {
    const line = /run_worker_first = \[(.*)\]/.exec(read('wrangler.toml'))?.[1] ?? '';
    const routes = [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    for (const p of SERVER_PATHS) expect(routes, p).toContain(p.endsWith('/') ? `${p}*` : p);
  });

  it('are routed to the API on AWS (infra/api.ts)', () => {
    const line = /for \(const prefix of \[(.*)\]\)/.exec(read('infra/api.ts'))?.[1] ?? '';
    const prefixes = [...line.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    for (const p of SERVER_PATHS) expect(prefixes, p).toContain(p.replace(/\/$/, ''));
  });
});
