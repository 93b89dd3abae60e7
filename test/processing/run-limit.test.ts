import { readdir } from 'node:fs/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunStatusReport } from '../../shared/processing/bridge-api.ts';
import { type BridgeRig, makeBridgeRig } from './bridge-support.ts';

let rig: BridgeRig;
// Every container the bridge creates goes through dockerode's createContainer.
const creates = vi.spyOn(Docker.prototype, 'createContainer');
const createdFor = (runId: string) => creates.mock.calls.filter(([body]) => String(body.name).includes(runId)).length;

beforeAll(async () => {
  rig = await makeBridgeRig();
});
afterAll(async () => {
  await rig?.close();
});

const states = (runId: string) => rig.statuses(runId).map((s) => s.state);
const endOf = (runId: string) =>
  (rig.statuses(runId).find((s) => s.state === 'ended') as Extract<RunStatusReport, { state: 'ended' }> | undefined)?.outcome;
const running = (runId: string) => rig.hub.waitFor(() => states(runId).includes('running'), 60_000);
const queued = (runId: string) => rig.hub.waitFor(() => states(runId).includes('queued'), 30_000);

describe('a bridge running its limit of runs (PROCESSING_MAX_RUNS, default 1)', () => {
  it('takes a second run, reports it queued, and starts it only when the first has ended', async () => {
    const bridge = await rig.start();
    const first = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload: first });
    await running(first.runId);
    const second = await rig.payload('count');
    const { jobId } = await rig.send({ kind: 'processing.run', payload: second });
    await queued(second.runId);
    // Taken, so the hub's queue does not hand it out again; not started.
    expect(rig.hub.taken.filter((t) => t.jobId === jobId)).toHaveLength(1);
    expect(bridge.processing.jobs.queued).toEqual([second.runId]);
    expect(createdFor(second.runId)).toBe(0);

    await rig.send({ kind: 'processing.cancel', payload: { runId: first.runId } });
    const firstEnd = await rig.ended(first.runId);
    const secondEnd = await rig.ended(second.runId);
    expect([firstEnd.state, secondEnd.state]).toEqual(['cancelled', 'completed']);
    expect(states(second.runId)).toEqual(['queued', 'running', 'ended']);
    expect(secondEnd.startedAt).toBeGreaterThanOrEqual(firstEnd.finishedAt);
    expect(createdFor(second.runId)).toBe(1);
    await bridge.stop();
  });

  it('runs as many at once as PROCESSING_MAX_RUNS allows', async () => {
    const bridge = await rig.start({ ...rig.env, PROCESSING_MAX_RUNS: '2' });
    const [a, b] = [await rig.payload('forever'), await rig.payload('forever')];
    await rig.send({ kind: 'processing.run', payload: a });
    await rig.send({ kind: 'processing.run', payload: b });
    await running(a.runId);
    await running(b.runId);
    expect(states(b.runId)).toEqual(['running']);
    for (const p of [a, b]) await rig.send({ kind: 'processing.cancel', payload: { runId: p.runId } });
    expect([(await rig.ended(a.runId)).state, (await rig.ended(b.runId)).state]).toEqual(['cancelled', 'cancelled']);
    await bridge.stop();
  });

  it('cancels a queued run without ever starting it', async () => {
    const bridge = await rig.start();
    const first = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload: first });
    await running(first.runId);
    const waiting = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload: waiting });
    await queued(waiting.runId);
    await rig.send({ kind: 'processing.cancel', payload: { runId: waiting.runId } });
    const cancelled = await rig.ended(waiting.runId);
    expect([cancelled.state, cancelled.reason?.code]).toEqual(['cancelled', 'cancelled']);
    expect(bridge.processing.jobs.queued).toEqual([]);

    // Freed slot: a later run starts; the cancelled one, ahead of it in the queue, never does.
    await rig.send({ kind: 'processing.cancel', payload: { runId: first.runId } });
    const later = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload: later });
    expect((await rig.ended(later.runId)).state).toBe('completed');
    expect(states(waiting.runId)).toEqual(['queued', 'ended']);
    expect(createdFor(waiting.runId)).toBe(0);
    await bridge.stop();
  });
});

describe('an orderly stop of a bridge with a tool running and a run queued', () => {
  it('stops the tool, reports it ended (bridge_stopped) before it exits, keeps the queued run for the next start, and reports nothing twice', async () => {
    const bridge = await rig.start(undefined, { stopGraceMs: 1000 });
    const tool = await rig.payload('forever');
    await rig.send({ kind: 'processing.run', payload: tool });
    await running(tool.runId);
    const waiting = await rig.payload('count');
    await rig.send({ kind: 'processing.run', payload: waiting });
    await queued(waiting.runId);
    const name = `eucaim-${tool.runId}-${rig.node.nodeId}`;
    expect(rig.containerNames(tool.runId)).toEqual([name]);

    await bridge.stop();
    // Told before the stop returned: no restart needed for the hub to know.
    const stopped = endOf(tool.runId);
    expect([stopped?.state, stopped?.reason]).toEqual([
      'failed',
      { code: 'bridge_stopped', message: 'the bridge was stopped while the tool was running' },
    ]);
    expect(rig.containerNames(tool.runId)).toEqual([]);
    expect(await readdir(rig.env.SANDBOX_PATH as string)).toEqual([]);
    expect(states(waiting.runId)).toEqual(['queued']);
    expect(createdFor(waiting.runId)).toBe(0);
    expect(bridge.processing.outbox.pending()).toEqual([]);

    const again = await rig.start();
    const done = await rig.ended(waiting.runId);
    expect(done.state).toBe('completed');
    expect(states(waiting.runId)).toEqual(['queued', 'running', 'ended']);
    // The stopped run was closed by the stop: the restart's recovery has nothing to add.
    expect(states(tool.runId)).toEqual(['running', 'ended']);
    expect(again.logs.lines.some((l) => l.msg === 'runs interrupted by a restart closed')).toBe(false);
    expect(again.logs.lines.some((l) => l.msg === 'queued runs taken back')).toBe(true);
    await again.stop();
  });
});
