import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import type { RunJobPayload } from '../../shared/processing/run.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { RunStateStore } from './run-state.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir?.remove();
});

const payload = (): RunJobPayload => ({
  runId: newId('run'),
  user: 'researcher',
  tool: { id: 'count', version: '1', digest: `sha256:${'a'.repeat(64)}` },
  parameters: { threshold: 3 },
  inputs: ['node-a:ds1'],
  grants: ['a.b.c'],
});

describe('run state files for queued runs', () => {
  it('keeps a queued run with its job, for a new process, oldest first', async () => {
    const store = await RunStateStore.open(dir.path);
    const [late, early] = [payload(), payload()];
    expect(await store.enqueue(late, 2000)).toEqual({ claimed: true });
    expect(await store.enqueue(early, 1000)).toEqual({ claimed: true });
    // A second delivery (at once, or after a restart) finds the claim and never queues it twice.
    const again = await store.enqueue(late, 3000);
    expect(again).toMatchObject({ claimed: false, record: { state: 'queued', queuedAt: 2000 } });
    const reopened = await RunStateStore.open(dir.path);
    expect((await reopened.queued()).map((r) => [r.runId, r.payload])).toEqual([
      [early.runId, early],
      [late.runId, late],
    ]);
    // Queued is not "running": a restart's recovery must not close it.
    expect(await reopened.unfinished()).toEqual([]);
  });

  it('starts a queued run once, and never one that ended meanwhile', async () => {
    const store = await RunStateStore.open(dir.path);
    const [started, cancelled] = [payload(), payload()];
    await store.enqueue(started, 1);
    await store.enqueue(cancelled, 1);
    expect(await store.start(started.runId, 5)).toEqual({ claimed: true });
    expect(JSON.parse(await readFile(join(dir.path, 'runs', `${started.runId}.json`), 'utf8'))).toMatchObject({
      state: 'running',
      startedAt: 5,
    });
    expect(await store.start(started.runId, 6)).toMatchObject({ claimed: false, record: { state: 'running', startedAt: 5 } });
    await store.finish({
      runId: cancelled.runId,
      nodeId: 'node-a',
      state: 'cancelled',
      reason: { code: 'cancelled', message: 'the run was cancelled' },
      exitCode: null,
      startedAt: 1,
      finishedAt: 2,
      inputFiles: 0,
      logs: { stdoutBytes: 0, stderrBytes: 0, keptBytes: 0, truncated: false },
      outputs: { accepted: [], rejected: [] },
    });
    expect(await store.start(cancelled.runId, 7)).toMatchObject({ claimed: false, record: { state: 'finished' } });
    expect((await store.queued()).map((r) => r.runId)).not.toContain(cancelled.runId);
  });
});
