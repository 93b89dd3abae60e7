import { describe, expect, it } from 'vitest';
import { ConfigError, loadBridgeConfig } from './config.ts';

const key = { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1', alg: 'EdDSA', use: 'sig' };
const minimal = {
  NODE_ID: 'node-a',
  HUB_URL: 'http://127.0.0.1:8080/',
  KEY_FILE: '/keys/node.json',
  DATA_DIR: '/data',
  STATE_DIR: '/state',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadBridgeConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadBridgeConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadBridgeConfig(minimal);
    expect(config).toEqual({
      nodeId: 'node-a',
      hubUrl: 'http://127.0.0.1:8080',
      hubAudience: 'http://127.0.0.1:8080',
      hubJobKeys: undefined,
      hubIssuer: 'http://127.0.0.1:8080',
      hubIssuerExplicit: false,
      keyFile: '/keys/node.json',
      dataDir: '/data',
      stateDir: '/state',
      jobSource: { kind: 'hub' },
      privacy: { enabled: true, epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 },
      mappingsFile: undefined,
      reindexIntervalMs: 600_000,
      mediator: undefined,
      processing: undefined,
      hubGrantKeys: undefined,
      healthIntervalMs: 30_000,
      network: { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined, caFile: undefined },
    });
  });

  it('turns processing on with SANDBOX_PATH and names each bad processing setting with the others', () => {
    const config = loadBridgeConfig({
      ...minimal,
      SANDBOX_PATH: '/sandbox',
      TOOLS_FILE: '/etc/tools.json',
      CONTAINER_SOCKET: '/run/podman.sock',
      HEALTH_INTERVAL_SECONDS: '5',
    });
    expect(config.processing).toEqual({
      sandboxDir: '/sandbox',
      socketPath: '/run/podman.sock',
      toolsFile: '/etc/tools.json',
      toolUser: '65534:65534',
      logCapBytes: 1024 * 1024,
      nvidiaSmi: 'nvidia-smi',
      maxRuns: 1,
    });
    expect(config.healthIntervalMs).toBe(5000);
    // Processing settings without SANDBOX_PATH are not checked: processing is simply off.
    expect(loadBridgeConfig({ ...minimal, TOOL_USER: '0:0' }).processing).toBeUndefined();
    expect(problems({ ...minimal, NODE_ID: undefined, SANDBOX_PATH: '/s', TOOL_USER: '0:0', RUN_LOG_CAP_BYTES: '10' })).toEqual([
      'NODE_ID is missing',
      'TOOLS_FILE is missing',
      'TOOL_USER must be uid:gid, both non-zero',
      'RUN_LOG_CAP_BYTES Too small: expected number to be >=1024',
    ]);
    expect(problems({ ...minimal, SANDBOX_PATH: '/s', TOOLS_FILE: '/t', MEDIATOR_URL: 'http://m', MEDIATOR_SECRET: 'x' })).toEqual([
      "SANDBOX_PATH cannot be used with MEDIATOR_URL (runs need the bridge's own index)",
    ]);
    expect(loadBridgeConfig({ ...minimal, HUB_GRANT_KEYS: JSON.stringify([key]) }).hubGrantKeys).toEqual([key]);
  });

  it('reads the obfuscation, re-index and mediator settings', () => {
    const config = loadBridgeConfig({
      ...minimal,
      OBFUSCATION: 'off',
      OBFUSCATION_EPSILON: '0.5',
      OBFUSCATION_ROUNDING_STEP: '5',
      OBFUSCATION_SMALL_COUNT: '20',
      REINDEX_INTERVAL_SECONDS: '0',
      MEDIATOR_URL: 'http://127.0.0.1:9000/',
      MEDIATOR_SECRET: 's3cret',
    });
    expect(config.privacy).toEqual({ enabled: false, epsilon: 0.5, sensitivity: 1, roundingStep: 5, smallCountThreshold: 20 });
    expect(config.reindexIntervalMs).toBe(0);
    expect(config.mediator).toEqual({ url: 'http://127.0.0.1:9000', secret: 's3cret', timeoutMs: 10_000 });
    expect(problems({ ...minimal, MEDIATOR_URL: 'http://m' })).toEqual(['MEDIATOR_SECRET is required when MEDIATOR_URL is set']);
    expect(problems({ ...minimal, OBFUSCATION: 'maybe' })[0]).toMatch(/^OBFUSCATION /);
  });

  it('parses pinned keys and explicit audience and issuer', () => {
    const config = loadBridgeConfig({
      ...minimal,
      HUB_JOB_KEYS: JSON.stringify([key]),
      HUB_AUDIENCE: 'https://hub.example',
      HUB_ISSUER: 'hub',
    });
    expect(config.hubJobKeys).toEqual([key]);
    expect(config).toMatchObject({ hubAudience: 'https://hub.example', hubIssuer: 'hub', hubIssuerExplicit: true });
  });

  it('names every missing setting at once', () => {
    expect(problems({ HUB_URL: 'http://h' })).toEqual([
      'NODE_ID is missing',
      'KEY_FILE is missing',
      'DATA_DIR is missing',
      'STATE_DIR is missing',
    ]);
  });

  it('treats empty variables as unset', () => {
    expect(problems({ ...minimal, NODE_ID: '  ' })).toEqual(['NODE_ID is missing']);
  });

  it.each([
    [{ HUB_URL: 'ftp://hub' }, /^HUB_URL must be an http\(s\) URL$/],
    [{ NODE_ID: 'Node A' }, /^NODE_ID node ids are/],
    [{ HUB_JOB_KEYS: 'not json' }, /^HUB_JOB_KEYS must be a JSON array/],
    [{ HUB_JOB_KEYS: '[]' }, /^HUB_JOB_KEYS must hold at least one key/],
    [{ HUB_JOB_KEYS: JSON.stringify([{ ...key, kid: undefined }]) }, /^HUB_JOB_KEYS\.0\.kid/],
    [{ HUB_JOB_KEYS: JSON.stringify([{ ...key, d: 'B'.repeat(43) }]) }, /private key/],
    [{ JOB_SOURCE: 'kafka' }, /^JOB_SOURCE /],
  ])('refuses a malformed setting: %j', (override, message) => {
    const found = problems({ ...minimal, ...override });
    expect(found.length, JSON.stringify(found)).toBe(1);
    expect(found[0]).toMatch(message);
  });

  it('requires the SQS settings only for JOB_SOURCE=sqs', () => {
    expect(problems({ ...minimal, JOB_SOURCE: 'sqs' })).toEqual([
      'SQS_QUEUE_URL is required when JOB_SOURCE=sqs',
      'AWS_REGION is required when JOB_SOURCE=sqs',
    ]);
    const config = loadBridgeConfig({ ...minimal, JOB_SOURCE: 'sqs', SQS_QUEUE_URL: 'http://127.0.0.1:9324/1/q', AWS_REGION: 'eu-west-1' });
    expect(config.jobSource).toEqual({ kind: 'sqs', queueUrl: 'http://127.0.0.1:9324/1/q', region: 'eu-west-1', endpoint: undefined });
  });

  it('says which settings are wrong in its message', () => {
    expect(() => loadBridgeConfig({})).toThrow(/invalid bridge configuration: NODE_ID is missing; HUB_URL is missing/);
  });
});
