import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUN_LABEL } from '../../bridge/processing/engine.ts';
import { RunStateStore } from '../../bridge/processing/run-state.ts';
import { type ProcessingFixture, makeProcessingFixture } from './fixture.ts';

let fx: ProcessingFixture;
beforeAll(async () => {
  fx = await makeProcessingFixture(['count', 'forever']);
});
afterAll(async () => {
  await fx?.close();
});

function countCreates() {
  const create = vi.spyOn(fx.engine.docker, 'createContainer');
  create.mockClear();
  return () => create.mock.calls.length;
}

describe('a job delivered more than once', () => {
  it('starts one container for two deliveries at once, and both get its outcome', async () => {
    const creates = countCreates();
    const approval = fx.approval('count');
    const executor = await fx.executor([approval]);
    const payload = await fx.payload(approval);
    const [first, second] = await Promise.all([executor.execute(payload), executor.execute(payload)]);
    expect(first.state, JSON.stringify(first)).toBe('completed');
    expect(second).toEqual(first);
    expect(creates()).toBe(1);
  });

  it('answers a delivery after the run ended, even in a new bridge process, from the record', async () => {
    const approval = fx.approval('count');
    const payload = await fx.payload(approval);
    const first = await (await fx.executor([approval])).execute(payload);
    const creates = countCreates();
    const again = await (await fx.executor([approval])).execute(payload);
    expect(again).toEqual(first);
    expect(creates()).toBe(0);
  });
});

describe('a bridge restarted mid-run', () => {
  it('reports the run failed with the reason, removes its container and wipes its sandbox', async () => {
    const approval = fx.approval('forever', { timeoutSeconds: 600 });
    const payload = await fx.payload(approval);
    const args = {
      socketPath: fx.pm.socketPath,
      nodeId: fx.nodeId,
      db: join(fx.root, 'index.sqlite'),
      dataDir: fx.dataDir,
      stateDir: fx.stateDir,
      sandboxDir: fx.sandboxDir,
      uploadDir: fx.uploadDir,
      approval,
      payload,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/processing/restart-child.ts', JSON.stringify(args)], {
      stdio: 'inherit',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const running = async () =>
      (await fx.engine.docker.listContainers({ filters: { label: [`${RUN_LABEL}=${payload.runId}`] } })).length > 0;
    try {
      // Wait (bounded) until the tool really runs, then kill the bridge the hard way.
      for (let i = 0; i < 600 && !(await running()) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await running()).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const store = await RunStateStore.open(fx.stateDir);
    expect((await store.get(payload.runId))?.state).toBe('running');
    expect(await readdir(fx.sandboxDir)).toEqual([payload.runId]);

    const creates = countCreates();
    const restarted = await fx.executor([approval]);
    const closed = await restarted.recoverInterrupted();
    expect(closed.map((o) => [o.runId, o.state, o.reason?.code])).toEqual([[payload.runId, 'failed', 'bridge_restarted']]);
    expect(await fx.engine.docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${payload.runId}`] } })).toEqual([]);
    expect(await readdir(fx.sandboxDir)).toEqual([]);
    // The job may come again after the restart: it gets the failure, not a second container.
    expect((await restarted.execute(payload)).reason?.code).toBe('bridge_restarted');
    expect(creates()).toBe(0);
  });
});
