import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/generate.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { bundleBridge } from './bundle.ts';

/**
 * The built bridge runs from its bundle alone: a folder outside the repository (so no node_modules
 * can be found), plain `node`, no tsx; only the SQLite addon comes from outside (the host's build).
 */
const addon = fileURLToPath(new URL('../../node_modules/better-sqlite3/build/Release/better_sqlite3.node', import.meta.url));
let dir: Awaited<ReturnType<typeof tempDir>>;
let out = '';

const node = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      args,
      { cwd: dir.path, env: { PATH: process.env.PATH, BRIDGE_SQLITE_ADDON: addon } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

beforeAll(async () => {
  dir = await tempDir('bundle-');
  out = join(dir.path, 'app');
  await bundleBridge({ outDir: out, version: '9.8.7' });
}, 120_000);
afterAll(() => dir.remove());

describe('the bundled bridge', () => {
  it('holds only JavaScript and the addon sources: no TypeScript, no tsx, no node_modules', async () => {
    const files = await readdir(out, { recursive: true });
    expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    expect(files).toContain('bridge.mjs');
    expect(files).toContain(join('addon-src', 'binding.gyp'));
    expect(files).toContain(join('deploy', 'compose.yaml'));
    const entry = await readFile(join(out, 'bridge.mjs'), 'utf8');
    expect(entry).not.toMatch(/from ["']tsx/);
  });

  it('reports the version it was built with, and indexes and answers a query with plain node', async () => {
    expect((await node([join(out, 'bridge.mjs'), '--version'])).stdout.trim()).toBe('9.8.7');
    await generateDemo({ dataDir: join(dir.path, 'data'), seed: 'bundle' });
    const index = await node([
      join(out, 'bridge.mjs'),
      'index',
      '--data',
      join(dir.path, 'data'),
      '--db',
      join(dir.path, 'index.sqlite'),
      '--json',
    ]);
    expect(index.code, index.stderr).toBe(0);
    expect(JSON.parse(index.stdout)).toMatchObject({ datasets: 2, filesUnchanged: 0 });
    const file = await node([join(out, 'bridge.mjs'), 'install-file', 'kubernetes/namespace.yaml']);
    expect(file.stdout).toMatch(/^apiVersion: v1\nkind: Namespace/);
  });
});
