import { createHash } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBridge } from '../../bridge/start.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { type BridgeRig, makeBridgeRig } from './bridge-support.ts';

let rig: BridgeRig;
let bridge: RunningBridge;
// Every container the bridge creates goes through dockerode's createContainer.
const creates = vi.spyOn(Docker.prototype, 'createContainer');

beforeAll(async () => {
  rig = await makeBridgeRig();
  bridge = await rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const containersOf = async (runId: string) =>
  (await new Docker({ socketPath: rig.pm.socketPath }).listContainers({ all: true, filters: { label: [`eu.eucaim.run=${runId}`] } }))
    .length;

describe('a bridge with processing, given signed run jobs by the hub', () => {
  it('runs the tool, reports running then the outcome, and uploads the log and the allowed outputs', async () => {
    const payload = await rig.payload('count', { parameters: { threshold: 4, label: 'x; rm -rf $(pwd)' } });
    const { jobId } = await rig.send({ kind: 'processing.run', payload });
    const outcome = await rig.ended(payload.runId);
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running', 'ended']);
    const running = rig.statuses(payload.runId)[0] as { startedAt: number };
    expect(running.startedAt).toBe(outcome.startedAt);
    expect(outcome.inputFiles).toBeGreaterThan(0);
    // Acknowledged without a count result: processing jobs never post to /jobs/{id}/result.
    expect(rig.hub.results.filter((r) => r.jobId === jobId)).toEqual([]);
    // Taken once claimed, so the hub's queue does not deliver it again.
    expect(rig.hub.taken.filter((t) => t.jobId === jobId)).toHaveLength(1);

    const uploads = rig.hub.processing.uploads.filter((u) => u.runId === payload.runId);
    expect(uploads.map((u) => [u.kind, u.path, u.accepted]).sort()).toEqual([
      ['log', `count_${rig.node.nodeId}.log`, true],
      ['output', 'params.json', true],
      ['output', 'result.json', true],
    ]);
    const result = uploads.find((u) => u.path === 'result.json');
    expect(JSON.parse(result?.bytes.toString() ?? '{}')).toEqual({ files: outcome.inputFiles, label: 'x; rm -rf $(pwd)', threshold: '4' });
    // What the outcome claims is what arrived, byte for byte.
    for (const accepted of outcome.outputs.accepted) {
      const got = uploads.find((u) => u.path === accepted.path);
      expect(got?.sha256).toBe(accepted.sha256);
      expect(
        createHash('sha256')
          .update(got?.bytes ?? '')
          .digest('hex'),
      ).toBe(accepted.sha256);
    }
    expect(uploads.find((u) => u.kind === 'log')?.bytes.toString()).toContain(`counted ${outcome.inputFiles} files`);
  });

  it('starts one container for a job delivered twice and for a second job of the same run', async () => {
    const payload = await rig.payload('count');
    const before = creates.mock.calls.length;
    const { jws } = await rig.send({ kind: 'processing.run', payload });
    rig.hub.enqueue(rig.node.nodeId, jws);
    await rig.ended(payload.runId);
    // The hub re-dispatching the run under a new job id gets the stored outcome again.
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(() => rig.statuses(payload.runId).filter((s) => s.state === 'ended').length === 2, 30_000);
    const [first, second] = rig.statuses(payload.runId).filter((s) => s.state === 'ended');
    expect(second).toEqual(first);
    expect(creates.mock.calls.length - before).toBe(1);
    expect(rig.hub.reports.filter((r) => r.body.reason === 'replayed' && r.body.receipt)).not.toHaveLength(0);
  });

  it('refuses a forged, a misaddressed and a replayed run job, reports each, and runs none', async () => {
    const before = creates.mock.calls.length;
    const forged = await rig.payload('count');
    const other = await generateNodeKeyPair();
    rig.hub.enqueue(
      rig.node.nodeId,
      await rig.hub.signJob({
        jobId: 'job-forged',
        nodeId: rig.node.nodeId,
        body: { kind: 'processing.run', payload: forged },
        privateJwk: other.privateJwk,
      }),
    );
    const misaddressed = await rig.payload('count');
    rig.hub.enqueue(
      rig.node.nodeId,
      await rig.hub.signJob({ jobId: 'job-elsewhere', nodeId: 'node-elsewhere', body: { kind: 'processing.run', payload: misaddressed } }),
    );
    const done = await rig.payload('count');
    const { jobId, jws } = await rig.send({ kind: 'processing.run', payload: done });
    await rig.ended(done.runId);
    rig.hub.enqueue(rig.node.nodeId, jws);
    await rig.hub.waitFor(
      () => ['job-forged', 'job-elsewhere', jobId].every((id) => rig.hub.reports.some((r) => r.body.jobId === id)),
      30_000,
    );
    const reasons = Object.fromEntries(rig.hub.reports.map((r) => [r.body.jobId, r.body.reason]));
    expect([reasons['job-forged'], reasons['job-elsewhere'], reasons[jobId]]).toEqual(['bad_signature', 'wrong_node', 'replayed']);
    expect(rig.statuses(forged.runId)).toEqual([]);
    expect(rig.statuses(misaddressed.runId)).toEqual([]);
    expect(creates.mock.calls.length - before).toBe(1);
  });

  it('stops a running tool when the hub cancels the run, and reports it cancelled', async () => {
    const payload = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(() => rig.statuses(payload.runId).some((s) => s.state === 'running'), 60_000);
    await rig.send({ kind: 'processing.cancel', payload: { runId: payload.runId } });
    const outcome = await rig.ended(payload.runId);
    expect([outcome.state, outcome.reason?.code]).toEqual(['cancelled', 'cancelled']);
    expect(await containersOf(payload.runId)).toBe(0);
  });

  it('refuses a run whose cancellation came first, without a container', async () => {
    const payload = await rig.payload('count');
    const before = creates.mock.calls.length;
    await rig.send({ kind: 'processing.cancel', payload: { runId: payload.runId } });
    const first = await rig.ended(payload.runId);
    expect([first.state, first.reason?.code]).toEqual(['cancelled', 'cancelled']);
    await rig.send({ kind: 'processing.run', payload });
    await rig.hub.waitFor(() => rig.statuses(payload.runId).length === 2, 30_000);
    expect(rig.statuses(payload.runId)[1]).toEqual({ state: 'ended', outcome: first });
    expect(creates.mock.calls.length - before).toBe(0);
  });

  it('refuses a run whose grant the hub revoked after sending it, and runs nothing while it cannot read the revocations', async () => {
    const before = creates.mock.calls.length;
    const payload = await rig.payload('count');
    const { decodeJwt } = await import('jose');
    const grantId = decodeJwt(payload.grants[0] as string).jti as string;
    rig.hub.processing.revokedGrants.add(grantId);
    try {
      await rig.send({ kind: 'processing.run', payload });
      const revoked = await rig.ended(payload.runId);
      expect([revoked.state, revoked.reason?.code], JSON.stringify(revoked)).toEqual(['not_allowed', 'grant_invalid']);
    } finally {
      rig.hub.processing.revokedGrants.delete(grantId);
    }
    rig.hub.processing.revokedListDown = true;
    try {
      const unchecked = await rig.payload('count');
      await rig.send({ kind: 'processing.run', payload: unchecked });
      expect((await rig.ended(unchecked.runId)).reason?.code).toBe('grant_invalid');
    } finally {
      rig.hub.processing.revokedListDown = false;
    }
    expect(creates.mock.calls.length - before).toBe(0);
  });

  it('keeps reporting through a hub that is briefly down', async () => {
    rig.hub.processing.failStatuses(3);
    const payload = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload });
    expect((await rig.ended(payload.runId)).state).toBe('completed');
    expect(rig.statuses(payload.runId).map((s) => s.state)).toEqual(['running', 'ended']);
    // Removed from the outbox once the hub took it (just after the stand-in recorded it).
    await rig.hub.waitFor(() => bridge.processing.outbox.pending().length === 0);
  });

  it('posts its health: engine, tools ready, paths, CPU, memory, the hub', async () => {
    await rig.hub.waitFor(() => rig.hub.processing.health.some((h) => h.nodeId === rig.node.nodeId), 30_000);
    const health = rig.hub.processing.health.filter((h) => h.nodeId === rig.node.nodeId).at(-1)?.body;
    expect(health?.engine).toMatchObject({ reachable: true, apiVersion: expect.any(String) });
    expect(health?.tools.map((t) => [t.toolId, t.ready])).toEqual([
      ['count', true],
      ['forever', true],
    ]);
    expect(health?.paths.data.exists).toBe(true);
    expect(health?.paths.sandbox).toMatchObject({ exists: true, writable: true });
    expect(health?.cpu.count).toBeGreaterThan(0);
    expect(health?.memory.totalBytes).toBeGreaterThan(0);
    expect(health?.tls).toEqual({ checked: false, https: false });
  });
});

describe('a bridge with processing off', () => {
  it('answers a run job not_allowed (processing_disabled) and still reports its health', async () => {
    const plainBridge = await rig.start({
      NODE_ID: rig.plain.nodeId,
      HUB_URL: rig.env.HUB_URL as string,
      HUB_JOB_KEYS: rig.env.HUB_JOB_KEYS as string,
      KEY_FILE: rig.plain.keyFile,
      DATA_DIR: rig.plain.dataDir,
      STATE_DIR: rig.plain.stateDir,
    });
    expect(plainBridge.processing.enabled).toBe(false);
    const payload = await rig.payload('count', {}, rig.plain);
    await rig.send({ kind: 'processing.run', payload }, rig.plain);
    const outcome = await rig.ended(payload.runId);
    expect([outcome.state, outcome.reason?.code, outcome.nodeId]).toEqual(['not_allowed', 'processing_disabled', rig.plain.nodeId]);
    await rig.hub.waitFor(() => rig.hub.processing.health.some((h) => h.nodeId === rig.plain.nodeId), 30_000);
    const health = rig.hub.processing.health.find((h) => h.nodeId === rig.plain.nodeId)?.body;
    expect(health?.engine).toMatchObject({ reachable: false, error: expect.stringContaining('processing is off') });
    expect(health?.tools).toEqual([]);
    expect(health?.paths.sandbox.exists).toBe(false);
    expect(health?.paths.data.exists).toBe(true);
  });
});
