import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { STATE_SCHEMA, STATE_VERSION_FILE, checkStateDir, inspectStateDir, prepareStateDir } from './state-dir.ts';
import { tempDir } from './test-support/temp-dir.ts';
import { BRIDGE_VERSION } from './version.ts';

describe('the state folder schema', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());
  const mark = async () => JSON.parse(await readFile(join(dir.path, STATE_VERSION_FILE), 'utf8'));

  it('marks a new, empty folder with the current schema', async () => {
    const report = await checkStateDir(dir.path);
    expect(report.decision).toEqual({ action: 'create' });
    await prepareStateDir(report);
    expect(await mark()).toEqual({ schema: STATE_SCHEMA, writtenBy: BRIDGE_VERSION });
  });

  it('migrates a folder from before versioning, keeping every file', async () => {
    await writeFile(join(dir.path, 'handled-jobs.jsonl'), '{"jobId":"j1","expiresAt":1,"delivered":true}\n');
    const report = await checkStateDir(dir.path);
    expect(report.decision).toEqual({ action: 'migrate', from: 0 });
    expect(await prepareStateDir(report)).toEqual({ migratedFrom: 0 });
    expect(await mark()).toEqual({ schema: 1, writtenBy: BRIDGE_VERSION });
    expect((await readdir(dir.path)).sort()).toEqual(['handled-jobs.jsonl', STATE_VERSION_FILE]);
  });

  it('refuses a folder from a newer bridge by name, and writes nothing', async () => {
    await writeFile(join(dir.path, STATE_VERSION_FILE), JSON.stringify({ schema: STATE_SCHEMA + 1, writtenBy: '7.0.0' }));
    const err = await checkStateDir(dir.path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toMatch(
      new RegExp(
        `^STATE_DIR .*: holds bridge state schema ${STATE_SCHEMA + 1} written by bridge 7\\.0\\.0; this bridge .* reads up to schema ${STATE_SCHEMA}`,
      ),
    );
    expect(await readdir(dir.path)).toEqual([STATE_VERSION_FILE]);
  });

  it('says what is wrong with a damaged mark or a missing folder', async () => {
    await writeFile(join(dir.path, STATE_VERSION_FILE), '{"schema":"one"}');
    expect((await inspectStateDir(dir.path)).problem).toMatch(/state-version\.json is damaged/);
    expect((await inspectStateDir(join(dir.path, 'nope'))).problem).toMatch(/STATE_DIR .*nope: does not exist/);
  });
});
