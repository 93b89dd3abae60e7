import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_LABEL, RUN_LABEL } from '../../bridge/processing/engine.ts';
import { RunStateStore } from '../../bridge/processing/run-state.ts';
import { type ProcessingFixture, makeProcessingFixture } from './fixture.ts';

// One run spans several nodes, and on one machine (the demo, a site with two data collections) their
// bridges may share a container engine: each node's part must stay its own.
let fx: ProcessingFixture;
beforeAll(async () => {
  fx = await makeProcessingFixture(['count', 'forever']);
});
afterAll(async () => {
  await fx?.close();
});

const PEER = 'node-peer';

async function peerExecutor(approvals: Parameters<ProcessingFixture['executor']>[0]) {
  const root = join(fx.root, PEER);
  await mkdir(join(root, 'sandbox'), { recursive: true });
  return fx.executor(approvals, { nodeId: PEER, sandboxDir: join(root, 'sandbox'), store: await RunStateStore.open(join(root, 'state')) });
}

describe('two bridges on one container engine', () => {
  it('run their parts of the same run at the same time', async () => {
    const approval = fx.approval('count');
    const mine = await fx.payload(approval);
    const theirs = { ...mine, inputs: [`${PEER}:${fx.datasets[0]}`] };
    const [a, b] = await Promise.all([(await fx.executor([approval])).execute(mine), (await peerExecutor([approval])).execute(theirs)]);
    expect(a.state, JSON.stringify(a)).toBe('completed');
    expect(b.state, JSON.stringify(b)).toBe('completed');
  });

  it("removes only this node's containers of a run", async () => {
    const approval = fx.approval('forever');
    const runId = (await fx.payload(approval)).runId;
    const docker = fx.engine.docker;
    const labelled = (nodeId: string) => ({
      Image: approval.image.digest,
      Labels: { [RUN_LABEL]: runId, [NODE_LABEL]: nodeId },
      HostConfig: { NetworkMode: 'none' },
    });
    const peer = await docker.createContainer({ name: `peer-${runId}`, ...labelled(PEER) });
    await docker.createContainer({ name: `own-${runId}`, ...labelled(fx.nodeId) });
    try {
      expect(await fx.engine.removeRun(runId, fx.nodeId)).toBe(1);
      const left = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
      expect(left.map((c) => c.Id)).toEqual([peer.id]);
    } finally {
      await docker
        .getContainer(peer.id)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});
