import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, bridgeEnv, makeNodeFixture, memoryLogger } from '../../bridge/test-support/node-fixture.ts';
import { filterByKey } from '../../shared/filter-catalogue.ts';
import type { QueryNode } from '../../shared/query.ts';
import { type MediatorStandIn, standInDatasets, startMediatorStandIn } from '../support/mediator-stand-in.ts';

const LABELS = Object.fromEntries((filterByKey('SNOMEDCT439401001')?.values ?? []).map((v) => [v.code, v.label]));
const MR = {
  operand: 'OR',
  children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
};

/** A node that already runs the CHAIMELEON mediator: MEDIATOR_URL makes the bridge ask it instead of its index. */
describe('a bridge in front of an existing site mediator (a stand-in with the real contract)', () => {
  let hub: HubStub;
  let node: NodeFixture;
  let mediator: MediatorStandIn;
  let bridge: Awaited<ReturnType<typeof startBridge>>;

  beforeAll(async () => {
    node = await makeNodeFixture();
    hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
    mediator = await startMediatorStandIn({ token: 'local-secret', datasets: standInDatasets(node.plan, LABELS) });
    const config = loadBridgeConfig({
      ...bridgeEnv(node, hub),
      MEDIATOR_URL: mediator.url,
      MEDIATOR_SECRET: 'local-secret',
      MEDIATOR_TIMEOUT_MS: '1000',
    });
    bridge = await startBridge(config, { logger: memoryLogger(), minPollIntervalMs: 20, longPollSeconds: 1, heartbeatIntervalMs: 200 });
  });
  afterAll(async () => {
    await bridge?.stop();
    await hub?.close();
    await mediator?.close();
    await node?.remove();
  });

  async function run(query: unknown): Promise<Record<string, unknown>> {
    const jobId = `job-${crypto.randomUUID()}`;
    const body = { kind: 'search.count' as const, payload: { searchId: `srch-${jobId}`, query: query as QueryNode } };
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId, body }));
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    return hub.results.find((r) => r.jobId === jobId)?.body as Record<string, unknown>;
  }

  it('asks it with {ast, id} and the secret, and passes its answer on obfuscated', async () => {
    const body = await run(MR);
    const call = mediator.calls.at(-1);
    expect(call?.authorization).toBe('Secret local-secret');
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({ ast: MR, id: expect.stringMatching(/^srch-job-/) });
    expect(body.status, JSON.stringify(body)).toBe('answered');
    const result = body.result as {
      total: { studies_count: number };
      collections: { id: string; studies_count: number }[];
      obfuscation: { applied: boolean };
    };
    expect(result.collections.map((c) => c.id)).toEqual(node.plan.datasets.map((d) => d.id));
    for (const n of [result.total.studies_count, ...result.collections.map((c) => c.studies_count)]) expect(n % 10, String(n)).toBe(0);
    expect(result.obfuscation.applied).toBe(true);
  });

  it('answers unsupported, without asking it, what it would refuse or misread', async () => {
    const before = mediator.calls.length;
    expect(await run({ operand: 'NOT', children: [MR] })).toMatchObject({ status: 'unsupported', unsupported_keys: ['NOT'] });
    expect(mediator.calls.length).toBe(before);
  });

  it('publishes what the mediator can evaluate in its heartbeat', async () => {
    await hub.waitFor(() => hub.heartbeats.length > 0);
    const keys = hub.heartbeats
      .at(-1)
      ?.body.capabilities?.filters.map((f) => f.key)
      .sort();
    expect(keys).toEqual([
      'C25392',
      'RID10311',
      'SNOMEDCT123037004',
      'SNOMEDCT263495000',
      'SNOMEDCT423493009',
      'SNOMEDCT432213005',
      'SNOMEDCT439401001',
    ]);
    const dx = hub.heartbeats.at(-1)?.body.capabilities?.filters.find((f) => f.key === 'SNOMEDCT439401001');
    expect(dx?.values).not.toContain('SNOMEDCT363484005');
  });

  it('answers error with the reason when the mediator talks garbage', async () => {
    mediator.fault = 'garbage';
    try {
      expect(await run(MR)).toMatchObject({
        status: 'error',
        error: { code: 'mediator_failed', message: 'the local mediator answered with something that is not JSON' },
      });
    } finally {
      mediator.fault = undefined;
    }
  });

  it('answers error with the reason when the mediator is too late', async () => {
    mediator.fault = 'slow';
    try {
      expect(await run(MR)).toMatchObject({
        status: 'error',
        error: { code: 'mediator_failed', message: 'the local mediator did not answer within 1000 ms' },
      });
    } finally {
      mediator.fault = undefined;
    }
  });
});
