import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, SETTING_NAMES, loadBridgeSettings } from './config.ts';
import { formatSettingsFile, parseSettingsFile, readSettings } from './settings.ts';
import { tempDir } from './test-support/temp-dir.ts';

const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('the settings file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('reads NAME=value lines with comments, export and quotes, without expanding anything', () => {
    const text = `# a comment\n\nexport NODE_ID=node-a\nHUB_URL="https://hub.example.org"\nHUB_JOB_KEYS='[{"kid":"k1"}]'\nNO_PROXY=$HOME\n`;
    expect(parseSettingsFile(text, 'bridge.env', SETTING_NAMES)).toEqual({
      NODE_ID: 'node-a',
      HUB_URL: 'https://hub.example.org',
      HUB_JOB_KEYS: '[{"kid":"k1"}]',
      NO_PROXY: '$HOME',
    });
  });

  it('names each line that is not a setting, typos included', () => {
    expect(problems(() => parseSettingsFile('NODEID=a\njust words\nNODE_ID=b\n', 'site.env', SETTING_NAMES))).toEqual([
      'site.env line 1: NODEID is not a bridge setting',
      'site.env line 2: expected NAME=value',
    ]);
  });

  it('writes what it reads back', () => {
    const text = formatSettingsFile(
      ['header'],
      [
        ['NODE_ID', 'node-a', 'the id'],
        ['HUB_JOB_KEYS', '[{"kid":"k 1"}]'],
      ],
    );
    expect(parseSettingsFile(text, 'x', SETTING_NAMES)).toEqual({ NODE_ID: 'node-a', HUB_JOB_KEYS: '[{"kid":"k 1"}]' });
  });

  it('lets the environment win, setting by setting, and says where each came from', async () => {
    const file = join(dir.path, 'bridge.env');
    await writeFile(file, 'NODE_ID=from-file\nHUB_URL=http://file\nKEY_FILE=/k\nDATA_DIR=/d\nSTATE_DIR=/s\n');
    const { config, source } = loadBridgeSettings({ BRIDGE_CONFIG: file, HUB_URL: 'http://env:8080', https_proxy: 'http://proxy:3128' });
    expect([config.nodeId, config.hubUrl, config.network.httpsProxy]).toEqual(['from-file', 'http://env:8080', 'http://proxy:3128']);
    expect(source).toMatchObject({ file, origin: { NODE_ID: 'file', HUB_URL: 'environment', HTTPS_PROXY: 'environment' } });
    // --config names the file when no variable does; a missing one is named with the way it was given.
    expect(problems(() => loadBridgeSettings({}, join(dir.path, 'missing.env')))[0]).toMatch(
      /^--config .*missing\.env: cannot read the settings file \(ENOENT\)/,
    );
    expect(problems(() => loadBridgeSettings({ BRIDGE_CONFIG: '/nope.env' }))[0]).toMatch(/^BRIDGE_CONFIG \/nope\.env/);
  });

  it('reads every secret from a file, refusing it set twice or unreadable', async () => {
    const secret = join(dir.path, 'mediator-secret');
    await writeFile(secret, 's3cret\n');
    const base = { NODE_ID: 'node-a', HUB_URL: 'http://h', KEY_FILE: '/k', DATA_DIR: '/d', STATE_DIR: '/s', MEDIATOR_URL: 'http://m' };
    const { config, source } = loadBridgeSettings({ ...base, MEDIATOR_SECRET_FILE: secret });
    expect(config.mediator?.secret).toBe('s3cret');
    expect(source.origin.MEDIATOR_SECRET).toBe('secret file');
    expect(problems(() => readSettings({ MEDIATOR_SECRET: 'x', MEDIATOR_SECRET_FILE: secret }, SETTING_NAMES))).toEqual([
      'MEDIATOR_SECRET and MEDIATOR_SECRET_FILE are both set; keep one (the file)',
    ]);
    expect(problems(() => readSettings({ HTTPS_PROXY_FILE: join(dir.path, 'none') }, SETTING_NAMES))[0]).toMatch(
      /^HTTPS_PROXY_FILE .*none: cannot read the secret \(ENOENT\)/,
    );
    // The environment's way of giving a secret replaces both of the file's.
    const file = join(dir.path, 'with-secret.env');
    await writeFile(file, `MEDIATOR_SECRET_FILE=${secret}\n`);
    await chmod(file, 0o600);
    expect(readSettings({ BRIDGE_CONFIG: file, MEDIATOR_SECRET: 'inline' }, SETTING_NAMES).values.MEDIATOR_SECRET).toBe('inline');
  });
});
