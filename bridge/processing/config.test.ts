import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp-dir.ts';
import { loadApprovedTools, loadProcessingConfig } from './config.ts';

const tool = {
  id: 'count',
  version: '1',
  image: { digest: `sha256:${'a'.repeat(64)}` },
  parameters: [],
  inputs: {},
  outputs: { allow: [], maxFileBytes: 1, maxTotalBytes: 1 },
  flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024 },
  timeoutSeconds: 60,
};

describe('processing configuration', () => {
  it('is off without SANDBOX_PATH and names each bad setting otherwise', () => {
    expect(loadProcessingConfig({})).toBeUndefined();
    expect(loadProcessingConfig({ SANDBOX_PATH: '/s', TOOLS_FILE: '/t.json' })).toEqual({
      sandboxDir: '/s',
      socketPath: '/var/run/docker.sock',
      toolsFile: '/t.json',
      toolUser: '65534:65534',
      logCapBytes: 1024 * 1024,
      nvidiaSmi: 'nvidia-smi',
      maxRuns: 1,
    });
    expect(loadProcessingConfig({ SANDBOX_PATH: '/s', TOOLS_FILE: '/t', PROCESSING_MAX_RUNS: '3' })?.maxRuns).toBe(3);
    expect(() => loadProcessingConfig({ SANDBOX_PATH: '/s', TOOLS_FILE: '/t', PROCESSING_MAX_RUNS: '0' })).toThrow(
      'PROCESSING_MAX_RUNS Too small: expected number to be >=1',
    );
    expect(() => loadProcessingConfig({ SANDBOX_PATH: '/s', TOOLS_FILE: '/t', PROCESSING_MAX_RUNS: 'two' })).toThrow(
      'PROCESSING_MAX_RUNS Invalid input: expected number, received NaN',
    );
    expect(() => loadProcessingConfig({ SANDBOX_PATH: '/s' })).toThrow('TOOLS_FILE is missing');
    expect(() => loadProcessingConfig({ SANDBOX_PATH: '/s', TOOLS_FILE: '/t', TOOL_USER: '0:0' })).toThrow(
      'TOOL_USER must be uid:gid, both non-zero',
    );
  });

  it('takes the approved tools all or nothing', async () => {
    const dir = await tempDir();
    try {
      const file = join(dir.path, 'tools.json');
      await writeFile(file, JSON.stringify([tool]));
      expect((await loadApprovedTools(file)).map((t) => t.id)).toEqual(['count']);
      await writeFile(file, JSON.stringify([tool, { ...tool, id: 'latest', image: { digest: 'busybox:latest' } }]));
      await expect(loadApprovedTools(file)).rejects.toThrow('1.image.digest must be sha256:<64 lowercase hex>');
      await writeFile(file, JSON.stringify([tool, tool]));
      await expect(loadApprovedTools(file)).rejects.toThrow('a tool version is approved twice');
    } finally {
      await dir.remove();
    }
  });
});
