import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { runCli } from '../commands.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger } from '../test-support/node-fixture.ts';

let node: NodeFixture;
beforeAll(async () => {
  node = await makeNodeFixture();
});
afterAll(async () => {
  await node?.remove();
});

describe('bridge start with processing settings', () => {
  it('stops at start with exit code 2, naming TOOLS_FILE, when the approvals file is wrong', async () => {
    const toolsFile = join(node.root, 'tools.json');
    await writeFile(toolsFile, JSON.stringify([{ id: 'count', version: '1', image: { digest: 'busybox:latest' } }]));
    const { publicJwk } = await generateNodeKeyPair();
    const errors: string[] = [];
    const env = {
      NODE_ID: node.nodeId,
      // Never reached: the start stops before the worker talks to the hub.
      HUB_URL: 'http://127.0.0.1:9',
      HUB_JOB_KEYS: JSON.stringify([{ ...publicJwk, kid: 'k1' }]),
      KEY_FILE: node.keyFile,
      DATA_DIR: node.dataDir,
      STATE_DIR: node.stateDir,
      SANDBOX_PATH: join(node.root, 'sandbox'),
      TOOLS_FILE: toolsFile,
    };
    const code = await runCli(['start'], { env, out: () => {}, err: (l) => errors.push(l), logger: memoryLogger() });
    expect(code, errors.join('\n')).toBe(2);
    expect(errors.join('\n')).toMatch(/TOOLS_FILE .*tools\.json: 0\.image\.digest must be sha256/);
  });

  it('names a bad processing setting before anything starts', async () => {
    const errors: string[] = [];
    const env = {
      NODE_ID: node.nodeId,
      HUB_URL: 'http://127.0.0.1:9',
      KEY_FILE: node.keyFile,
      DATA_DIR: node.dataDir,
      STATE_DIR: node.stateDir,
      SANDBOX_PATH: '/s',
    };
    expect(await runCli(['start'], { env, out: () => {}, err: (l) => errors.push(l) })).toBe(2);
    expect(errors).toEqual(['invalid bridge configuration: TOOLS_FILE is missing']);
  });
});
