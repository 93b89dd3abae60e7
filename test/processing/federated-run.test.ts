import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, negotiations } from '../../functions/negotiation/negotiation.sql.ts';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { type RunningBridge, startBridge } from '../../bridge/start.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger } from '../../bridge/test-support/node-fixture.ts';
import { newId } from '../../shared/ids.ts';
import { type ToolApproval, toolApprovalSchema } from '../../shared/processing/tool.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { type PodmanService, startPodman } from '../support/podman.ts';
import { TOOLS, buildToolImage } from './images.ts';

/**
 * The whole federated run: a real hub (with its OIDC provider and database), a real bridge with
 * processing on a private Podman, and the researcher's API calls — no stand-in anywhere.
 */
let hub: TestHub;
let pm: PodmanService;
let node: NodeFixture;
let bridge: RunningBridge;
let tool: ToolApproval;
let runId = '';

const waitFor = async (what: () => Promise<boolean>, timeoutMs: number, label: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

beforeAll(async () => {
  hub = await startTestHub();
  pm = await startPodman();
  node = await makeNodeFixture();
  const admin = await hub.client('admin');
  expect(
    (
      await admin.api.v1.nodes.$post({
        json: { id: node.nodeId, name: 'Processing node', publicJwk: node.publicJwk, admins: ['dataholder'] },
      })
    ).status,
  ).toBe(201);
  tool = toolApprovalSchema.parse({
    id: 'count',
    version: '1',
    image: { reference: 'localhost/eucaim/count:1', digest: buildToolImage(pm, TOOLS.count, 'localhost/eucaim/count:1') },
    parameters: [
      { name: 'label', type: 'string', maxLength: 40, default: 'none' },
      { name: 'threshold', type: 'integer', min: 0, max: 10, required: true },
    ],
    inputs: { min: 1, max: 2 },
    outputs: { allow: ['result.json'], maxFileBytes: 100_000, maxTotalBytes: 1024 * 1024 },
    flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024, pids: 64 },
    timeoutSeconds: 300,
  });
  // The platform registers the tool, the node's administrator allows it there, the node approves it locally.
  const registered = await admin.api.v1.tools.$post({ json: tool });
  expect(registered.status, await registered.clone().text()).toBe(201);
  const holder = await hub.client('dataholder');
  expect(
    (
      await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({
        param: { nodeId: node.nodeId, toolId: tool.id, version: tool.version },
      })
    ).status,
  ).toBe(200);
  const toolsFile = join(node.root, 'tools.json');
  await writeFile(toolsFile, JSON.stringify([tool]));
  const jobKeys = (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: unknown[] };
  const env = {
    NODE_ID: node.nodeId,
    HUB_URL: hub.url,
    HUB_JOB_KEYS: JSON.stringify(jobKeys.keys),
    KEY_FILE: node.keyFile,
    DATA_DIR: node.dataDir,
    STATE_DIR: node.stateDir,
    SANDBOX_PATH: join(node.root, 'sandbox'),
    TOOLS_FILE: toolsFile,
    CONTAINER_SOCKET: pm.socketPath,
  };
  bridge = await startBridge(loadBridgeConfig(env), {
    logger: memoryLogger(),
    minPollIntervalMs: 50,
    longPollSeconds: 1,
    healthIntervalMs: 500,
    heartbeatIntervalMs: 1000,
    backoff: { baseMs: 50, maxMs: 500 },
  });
});
afterAll(async () => {
  await bridge?.stop();
  await hub?.stop();
  await pm?.stop();
  await node?.remove();
});

/** A processing grant for the researcher, as the negotiation service issues it. */
async function grantResearcher(dataset: string) {
  const now = Date.now();
  const negotiationId = newId('neg', now);
  await hub.services.db
    .insert(negotiations)
    .values({ id: negotiationId, author: 'researcher', state: 'CONCLUDED', formId: 'test', formVersion: 1, answers: {} });
  const grantId = newId('grt', now);
  const exp = Math.floor(now / 1000) + 86400;
  const jws = await hub.services.grantSigner.sign(
    { sub: 'researcher', jti: grantId, exp, dataset, access: 'REMOTE_PROCESSING', conditions: 'test', negotiation: negotiationId },
    now,
  );
  await hub.services.db.insert(accessGrants).values({
    id: grantId,
    negotiationId,
    datasetId: dataset,
    userSub: 'researcher',
    access: 'REMOTE_PROCESSING',
    conditions: 'test',
    expiresAt: new Date(exp * 1000),
    jws,
  });
}

describe('a federated run through the real hub and a real bridge', () => {
  it('runs where the data is and brings back the log and the output to the researcher', async () => {
    const dataset = node.plan.datasets[0]?.id as string;
    await grantResearcher(dataset);
    const researcher = await hub.client('researcher');
    // The hub takes a run only once the node's health report says the tool's image is ready.
    await waitFor(
      async () => {
        const res = await researcher.api.v1.runs.$post({
          json: { tool: { id: tool.id, version: tool.version }, parameters: { threshold: 2 }, inputs: [`${node.nodeId}:${dataset}`] },
        });
        if (res.status === 201) {
          runId = ((await res.json()) as { id: string }).id;
          return true;
        }
        expect(res.status, await res.text()).toBe(409);
        return false;
      },
      30_000,
      'the hub accepts the run',
    );
    const view = async () =>
      (await (await researcher.api.v1.runs[':id'].$get({ param: { id: runId } })).json()) as {
        state: string;
        nodes: { nodeId: string; state: string }[];
      };
    await waitFor(async () => (await view()).state === 'completed', 90_000, 'the run completes');
    expect((await view()).nodes.map((n) => [n.nodeId, n.state])).toEqual([[node.nodeId, 'completed']]);

    const log = await fetch(`${hub.url}/api/v1/runs/${runId}/nodes/${node.nodeId}/log`, {
      headers: { authorization: `Bearer ${await hub.token('researcher')}` },
    });
    expect(log.status).toBe(200);
    expect(await log.text()).toMatch(/counted \d+ files/);
    const output = await fetch(`${hub.url}/api/v1/runs/${runId}/nodes/${node.nodeId}/outputs/result.json`, {
      headers: { authorization: `Bearer ${await hub.token('researcher')}` },
    });
    expect(output.status).toBe(200);
    const result = (await output.json()) as { files: number; threshold: string };
    expect(result.threshold).toBe('2');
    expect(result.files).toBeGreaterThan(0);
    // Nobody else reads it.
    const outsider = await fetch(`${hub.url}/api/v1/runs/${runId}/nodes/${node.nodeId}/outputs/result.json`, {
      headers: { authorization: `Bearer ${await hub.token('outsider')}` },
    });
    expect([403, 404]).toContain(outsider.status);
  });
});
