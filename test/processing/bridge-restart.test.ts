import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeRig, makeBridgeRig } from './bridge-support.ts';

let rig: BridgeRig;
let child: ChildProcess | undefined;
beforeAll(async () => {
  rig = await makeBridgeRig();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rig?.close();
});

describe('a bridge process killed mid-run', () => {
  it('closes the run at its next start and reports it failed (bridge_restarted) to the hub', async () => {
    let stderr = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], {
      env: { PATH: process.env.PATH, ...rig.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    const payload = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload });
    const docker = new Docker({ socketPath: rig.pm.socketPath });
    const containers = async () =>
      (await docker.listContainers({ all: true, filters: { label: [`eu.eucaim.run=${payload.runId}`] } })).length;
    try {
      await rig.hub.waitFor(() => rig.statuses(payload.runId).some((s) => s.state === 'running'), 60_000);
      expect(await containers(), stderr).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running']);
    // The tool outlived its bridge: only the restart's recovery can stop it.
    expect(await containers()).toBe(1);

    const restarted = await rig.start();
    const outcome = await rig.ended(payload.runId);
    expect([outcome.state, outcome.reason?.code]).toEqual(['failed', 'bridge_restarted']);
    expect(await containers()).toBe(0);
    expect(await readdir(rig.env.SANDBOX_PATH as string)).toEqual([]);
    expect(restarted.logs.lines.some((l) => l.msg === 'runs interrupted by a restart closed')).toBe(true);
    // Logs never carry the node's private key.
    expect(stderr).not.toContain(rig.node.privateJwk.d);
    await restarted.stop();
  });

  it('re-sends an outcome the hub did not take before a stop when the bridge starts again', async () => {
    // The stop gives up flushing to the unreachable hub quickly; the next start sends the outcome.
    const first = await rig.start(undefined, { shutdown: { flushMs: 200 } });
    rig.hub.processing.failStatuses(1_000_000);
    const payload = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(
      () => first.processing.outbox.pending().some((e) => e.runId === payload.runId && e.report.state === 'ended'),
      60_000,
    );
    await first.stop();
    expect(rig.statuses(payload.runId)).toEqual([]);
    rig.hub.processing.failStatuses(0);
    const second = await rig.start();
    const outcome = await rig.ended(payload.runId);
    expect(outcome.state).toBe('completed');
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running', 'ended']);
    // Stopped here, so the next test's bridge is the only one taking this node's jobs.
    await second.stop();
  });

  it('on SIGTERM stops the tool, reports it ended (bridge_stopped) and exits 0; the next start reports nothing again', async () => {
    let stderr = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], {
      env: { PATH: process.env.PATH, ...rig.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const payload = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(() => rig.statuses(payload.runId).some((s) => s.state === 'running'), 60_000);
    expect(rig.containerNames(payload.runId), stderr).toEqual([`eucaim-${payload.runId}-${rig.node.nodeId}`]);

    proc.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    // Gone with the bridge, and the hub told before the process ended.
    expect(rig.containerNames(payload.runId)).toEqual([]);
    const ended = rig.statuses(payload.runId).find((s) => s.state === 'ended');
    expect(ended && ended.state === 'ended' && [ended.outcome.state, ended.outcome.reason?.code]).toEqual(['failed', 'bridge_stopped']);
    expect(await readdir(join(rig.node.stateDir, 'run-reports'))).toEqual([]);

    // The next start: another run goes through, and the stopped one is not closed or reported again.
    const restarted = await rig.start();
    const next = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload: next });
    expect((await rig.ended(next.runId)).state).toBe('completed');
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running', 'ended']);
    expect(restarted.logs.lines.some((l) => l.msg === 'runs interrupted by a restart closed')).toBe(false);
    await restarted.stop();
  });
});
