import { describe, expect, it } from 'vitest';
import { nodeHealthSchema } from './health.ts';
import { datasetUriSchema, runOutcomeSchema } from './run.ts';
import { toolApprovalSchema } from './tool.ts';

const approval = {
  id: 'count',
  version: '1',
  image: { reference: 'registry.example/count:1', digest: `sha256:${'a'.repeat(64)}` },
  parameters: [],
  inputs: {},
  outputs: { allow: ['*.json'], maxFileBytes: 1000, maxTotalBytes: 10_000 },
  flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024 },
  timeoutSeconds: 60,
};

describe('processing schemas', () => {
  it('reads dataset URIs as node, dataset and path', () => {
    expect(datasetUriSchema.parse('node-a:ds-1/P1/1.2.3')).toEqual({ nodeId: 'node-a', dataset: 'ds-1', path: ['P1', '1.2.3'] });
    for (const bad of ['ds-1', 'node-a:', 'node-a:ds/../x', 'node-a:ds//x', 'node-a:/etc', 'node-a:.hidden', 'node-a:a/b/c/d/e'])
      expect(datasetUriSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('pins tool images by digest only, with output globs that stay inside the output folder', () => {
    expect(toolApprovalSchema.parse(approval).flavour).toEqual({
      cpus: 1,
      memoryBytes: 64 * 1024 * 1024,
      pids: 256,
      gpus: 0,
      tmpBytes: 64 * 1024 * 1024,
    });
    expect(toolApprovalSchema.safeParse({ ...approval, image: { digest: 'registry.example/count:latest' } }).success).toBe(false);
    for (const glob of ['../x', '/etc/*', 'a/./b', 'a//b'])
      expect(toolApprovalSchema.safeParse({ ...approval, outputs: { ...approval.outputs, allow: [glob] } }).success, glob).toBe(false);
    expect(toolApprovalSchema.safeParse({ ...approval, unknown: 1 }).success).toBe(false);
  });

  it('wants a reason with every outcome but completed', () => {
    const base = {
      runId: 'run_01h0000000000000000000000a',
      nodeId: 'node-a',
      exitCode: 0,
      startedAt: 1,
      finishedAt: 2,
      inputFiles: 1,
      logs: { stdoutBytes: 0, stderrBytes: 0, keptBytes: 0, truncated: false },
      outputs: { accepted: [], rejected: [] },
    };
    expect(runOutcomeSchema.safeParse({ ...base, state: 'completed' }).success).toBe(true);
    expect(runOutcomeSchema.safeParse({ ...base, state: 'failed' }).success).toBe(false);
    expect(runOutcomeSchema.safeParse({ ...base, state: 'failed', reason: { code: 'exit_nonzero', message: 'x' } }).success).toBe(true);
  });

  it('refuses a health report with unknown fields', () => {
    expect(nodeHealthSchema.safeParse({ version: '1', extra: true }).success).toBe(false);
  });
});
