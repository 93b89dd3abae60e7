import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
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
    child = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], { env: { PATH: process.env.PATH, ...rig.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    const payload = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload });
    const docker = new Docker({ socketPath: rig.pm.socketPath });
    const containers = async () => (await docker.listContainers({ all: true, filters: { label: [`eu.eucaim.run=${payload.runId}`] } })).length;
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
    const first = await rig.start();
    rig.hub.processing.failStatuses(1_000_000);
    const payload = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(() => first.processing.outbox.pending().some((e) => e.runId === payload.runId && e.report.state === 'ended'), 60_000);
    await first.stop();
    expect(rig.statuses(payload.runId)).toEqual([]);
    rig.hub.processing.failStatuses(0);
    await rig.start();
    const outcome = await rig.ended(payload.runId);
    expect(outcome.state).toBe('completed');
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running', 'ended']);
  });
});
