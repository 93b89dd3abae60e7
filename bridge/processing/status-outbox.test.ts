import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import type { RunOutcome } from '../../shared/processing/run.ts';
import { HubClient } from '../hub-client.ts';
import { type HubStub, startHubStub } from '../test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger } from '../test-support/node-fixture.ts';
import { StatusOutbox } from './status-outbox.ts';

let node: NodeFixture;
let hub: HubStub;
let client: HubClient;
beforeAll(async () => {
  node = await makeNodeFixture();
  hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
  client = new HubClient({ hubUrl: hub.url, audience: hub.audience, nodeId: node.nodeId, privateJwk: node.privateJwk });
});
afterAll(async () => {
  await hub?.close();
  await node?.remove();
});

const ended = (runId: string): RunOutcome => ({
  runId,
  nodeId: node.nodeId,
  state: 'completed',
  exitCode: 0,
  startedAt: 1,
  finishedAt: 2,
  inputFiles: 1,
  logs: { stdoutBytes: 0, stderrBytes: 0, keptBytes: 0, truncated: false },
  outputs: { accepted: [], rejected: [] },
});

describe('the run status outbox', () => {
  it('keeps reports on disk in order until the hub takes them, and drops one the hub refuses for good', async () => {
    const [a, b] = [newId('run'), newId('run')];
    const first = await StatusOutbox.open(node.stateDir);
    await first.add(a, { state: 'running', startedAt: 1 });
    await first.add(b, { state: 'running', startedAt: 1 });
    await first.add(a, { state: 'ended', outcome: ended(a) });
    await first.add(b, { state: 'ended', outcome: ended(b) });
    // A new process finds them as they were queued.
    const reopened = await StatusOutbox.open(node.stateDir);
    expect(reopened.pending().map((e) => [e.runId, e.report.state])).toEqual([
      [a, 'running'],
      [b, 'running'],
      [a, 'ended'],
      [b, 'ended'],
    ]);
    hub.processing.unknownRuns.add(b);
    hub.processing.failStatuses(2);
    const logs = memoryLogger();
    const stop = new AbortController();
    const delivering = reopened.deliver(client, logs, stop.signal, { baseMs: 5, maxMs: 20 });
    await hub.waitFor(() => reopened.pending().length === 0);
    stop.abort();
    await delivering;
    expect(hub.processing.statuses.map((s) => [s.runId, s.body.state])).toEqual([
      [a, 'running'],
      [a, 'ended'],
    ]);
    expect(logs.lines.filter((l) => l.msg === 'reporting a run status failed; retrying')).toHaveLength(2);
    expect(logs.lines.filter((l) => l.msg === 'the hub refused a run status; dropped').map((l) => l.fields?.runId)).toEqual([b, b]);
    expect(await readdir(join(node.stateDir, 'run-reports'))).toEqual([]);
  });

  it('tells an orderly stop when the hub took every report, or that time ran out', async () => {
    const dir = join(node.root, 'drain-state');
    const outbox = await StatusOutbox.open(dir);
    expect(await outbox.drained(10)).toBe(true);
    const runId = newId('run');
    await outbox.add(runId, { state: 'ended', outcome: ended(runId) });
    // Nothing delivering: time runs out and the report stays for the next start.
    expect(await outbox.drained(50)).toBe(false);
    expect(outbox.pending()).toHaveLength(1);
    const stop = new AbortController();
    const delivering = outbox.deliver(client, memoryLogger(), stop.signal, { baseMs: 5, maxMs: 20 });
    hub.processing.failStatuses(2);
    expect(await outbox.drained(30_000)).toBe(true);
    stop.abort();
    await delivering;
    expect(hub.processing.statuses.filter((s) => s.runId === runId).map((s) => s.body.state)).toEqual(['ended']);
  });
});
