import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../shared/processing/run.ts';
import { type ProcessingFixture, makeProcessingFixture } from './fixture.ts';

let fx: ProcessingFixture;
let outcome: RunOutcome;
let runId: string;
beforeAll(async () => {
  fx = await makeProcessingFixture(['outputs', 'count']);
  const approval = fx.approval('outputs', {
    outputs: { allow: ['*.json', 'metrics/*.txt'], maxFileBytes: 100_000, maxTotalBytes: 1024 * 1024 },
  });
  const executor = await fx.executor([approval]);
  const payload = await fx.payload(approval);
  runId = payload.runId;
  outcome = await executor.execute(payload);
});
afterAll(async () => {
  await fx?.close();
});

describe('outputs leaving the node', () => {
  it('uploads only what the allow-list names and the limits allow, with its hash', async () => {
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    expect(outcome.outputs.accepted.map((a) => a.path)).toEqual(['metrics/auc.txt', 'result.json']);
    expect(await fx.listUploads(runId, 'output')).toEqual(['metrics/auc.txt', 'result.json']);
    const uploaded = await fx.readUpload(runId, 'output', 'result.json');
    expect(uploaded).toBe('{"ok":true}\n');
    expect(outcome.outputs.accepted[1]).toEqual({
      path: 'result.json',
      bytes: 12,
      sha256: createHash('sha256').update(uploaded).digest('hex'),
    });
  });

  it.each([
    ['a copied input file outside the allow-list', 'copied.dcm', 'not_allowed'],
    ['an allowed name over the per-file limit', 'big.json', 'too_large'],
    ['a symlink to the inputs', 'inputs-link.json', 'symlink'],
    ['a symlink to the parameters file', 'params-link.json', 'symlink'],
    ['a fifo', 'pipe.json', 'not_a_file'],
  ])('rejects and reports %s, and does not upload it', async (_name, path, reason) => {
    expect(outcome.outputs.rejected.find((r) => r.path === path)?.reason, JSON.stringify(outcome.outputs.rejected)).toBe(reason);
    expect(await fx.listUploads(runId, 'output')).not.toContain(path);
  });

  it('allows nothing when the allow-list is empty', async () => {
    const approval = fx.approval('count', { outputs: { allow: [], maxFileBytes: 100_000, maxTotalBytes: 1024 * 1024 } });
    const executor = await fx.executor([approval]);
    const payload = await fx.payload(approval);
    const result = await executor.execute(payload);
    expect(result.state).toBe('completed');
    expect(result.outputs.accepted).toEqual([]);
    expect(result.outputs.rejected.map((r) => [r.path, r.reason])).toEqual([
      ['params.json', 'not_allowed'],
      ['result.json', 'not_allowed'],
    ]);
    expect(await fx.listUploads(payload.runId, 'output')).toEqual([]);
  });

  it('stops at the total size limit, in name order', async () => {
    const approval = fx.approval('count', { outputs: { allow: ['*.json'], maxFileBytes: 100_000, maxTotalBytes: 60 } });
    const executor = await fx.executor([approval]);
    const payload = await fx.payload(approval);
    const result = await executor.execute(payload);
    // params.json ({"label":"none","threshold":3}, 31 bytes) fits; result.json would pass 60 bytes.
    expect(result.outputs.accepted.map((a) => a.path)).toEqual(['params.json']);
    expect(result.outputs.rejected).toEqual([{ path: 'result.json', reason: 'total_too_large', bytes: expect.any(Number) }]);
  });

  it('caps the log it keeps and says so', async () => {
    const approval = fx.approval('count');
    const executor = await fx.executor([approval], { logCapBytes: 8 });
    const payload = await fx.payload(approval);
    const result = await executor.execute(payload);
    expect(result.logs.keptBytes).toBe(8);
    expect(result.logs.truncated).toBe(true);
    expect(result.logs.stdoutBytes + result.logs.stderrBytes).toBeGreaterThan(8);
    expect(await fx.readUpload(payload.runId, 'log', `count_${fx.nodeId}.log`)).toBe('counted ');
  });
});
