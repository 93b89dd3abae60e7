import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519PublicJwkSchema } from '../shared/node-auth.ts';
import { runCli } from './commands.ts';
import { loadNodeKey, publicJwkOf } from './keys.ts';
import { tempDir } from './test-support/temp-dir.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('bridge CLI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('enrol writes the private key with mode 600 and prints only the public half', async () => {
    const keyFile = join(dir.path, 'keys', 'node-a.json');
    const res = await cli('enrol', '--node-id', 'node-a', '--key-file', keyFile);
    expect(res.code, res.err).toBe(0);
    const printed = JSON.parse(res.out);
    expect(printed.nodeId).toBe('node-a');
    expect(ed25519PublicJwkSchema.strict().parse(printed.publicJwk)).toEqual(printed.publicJwk);
    expect(res.out + res.err).not.toContain('"d"');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const privateJwk = await loadNodeKey(keyFile);
    expect(publicJwkOf(privateJwk)).toEqual(printed.publicJwk);
    expect(res.out).not.toContain(privateJwk.d);
  });

  it('enrol refuses to overwrite a key unless --force', async () => {
    const keyFile = join(dir.path, 'node-b.json');
    expect((await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile)).code).toBe(0);
    const before = await readFile(keyFile, 'utf8');
    const again = await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists; pass --force/);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
    const forced = await cli('enrol', '--node-id', 'node-b', '--key-file', keyFile, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(await readFile(keyFile, 'utf8')).not.toBe(before);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('enrol refuses an invalid node id', async () => {
    const res = await cli('enrol', '--node-id', 'Node_A', '--key-file', join(dir.path, 'x.json'));
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/invalid node id "Node_A"/);
  });

  it('loadNodeKey warns when others can read the key', async () => {
    const keyFile = join(dir.path, 'loose.json');
    await cli('enrol', '--node-id', 'node-c', '--key-file', keyFile);
    await chmod(keyFile, 0o644);
    const warnings: string[] = [];
    await loadNodeKey(keyFile, (w) => warnings.push(w));
    expect(warnings).toEqual([`KEY_FILE ${keyFile} has mode 644; it should be 600`]);
  });

  it('generate-demo then index prints the summary and the bad files as a table', async () => {
    const data = join(dir.path, 'data');
    const gen = await cli('generate-demo', '--data', data, '--seed', 'cli-seed');
    expect(gen.code, gen.err).toBe(0);
    const files = Number(/wrote (\d+) DICOM files/.exec(gen.out)?.[1]);
    await writeFile(join(data, 'readme.txt'), 'a note somebody left in the data folder\n'.repeat(8));
    const res = await cli('index', '--data', data);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(new RegExp(`^files +${files + 1}$`, 'm'));
    expect(res.out).toMatch(new RegExp(`^instances +${files}$`, 'm'));
    expect(res.out).toMatch(/^badFiles +1$/m);
    expect(res.out).toMatch(/^bad file +reason$/m);
    expect(res.out).toMatch(/^readme\.txt +not DICOM Part 10 \(no DICM prefix\)$/m);
  });

  it('start fails fast naming the missing settings', async () => {
    const res = await cli('start');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/NODE_ID is missing; HUB_URL is missing; KEY_FILE is missing/);
  });

  it.each([[['frobnicate']], [['enrol', '--node-id', 'node-a']], [['index', '--bogus']]])('usage errors exit 2: %j', async (argv) => {
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/usage: npm run bridge/);
  });
});
