import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { type RunningBridge, type StartOptions, startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, bridgeEnv, makeNodeFixture, memoryLogger } from '../../bridge/test-support/node-fixture.ts';
import { newId } from '../../shared/ids.ts';
import { signGrant } from '../../shared/negotiation/grant.ts';
import type { PrivateJwk } from '../../shared/node-auth.ts';
import type { RunStatusReport } from '../../shared/processing/bridge-api.ts';
import type { RunJobPayload, RunOutcome } from '../../shared/processing/run.ts';
import { type ToolApproval, toolApprovalSchema } from '../../shared/processing/tool.ts';
import { type PodmanService, startPodman } from '../support/podman.ts';
import { TOOLS, buildToolImage } from './images.ts';

const MiB = 1024 * 1024;
export const USER = 'researcher-sub-1';

/**
 * A real bridge (startBridge, or bridge/cli.ts as a process) with processing on, against the hub
 * stand-in, with a private Podman and two tools: `count` (finishes) and `forever` (never does).
 */
export interface BridgeRig {
  pm: PodmanService;
  hub: HubStub;
  node: NodeFixture;
  /** A second node whose bridge runs with processing off. */
  plain: NodeFixture;
  approvals: Record<'count' | 'forever', ToolApproval>;
  /** Environment of the processing node's bridge (as a deployment would set it). */
  env: Record<string, string>;
  start(env?: Record<string, string>, opts?: StartOptions): Promise<RunningBridge & { logs: ReturnType<typeof memoryLogger> }>;
  /** Names of the containers in the engine (running or not) whose name holds `part`, as `podman ps -a` lists them. */
  containerNames(part: string): string[];
  payload(tool: 'count' | 'forever', overrides?: Partial<RunJobPayload>, node?: NodeFixture): Promise<RunJobPayload>;
  /** Signs a job for `node` and queues it; answers the job id and the JWS. */
  send(body: Parameters<HubStub['signJob']>[0]['body'], node?: NodeFixture): Promise<{ jobId: string; jws: string }>;
  statuses(runId: string): RunStatusReport[];
  ended(runId: string): Promise<RunOutcome>;
  close(): Promise<void>;
}

export async function makeBridgeRig(): Promise<BridgeRig> {
  const pm = await startPodman();
  const node = await makeNodeFixture();
  const plain = await makeNodeFixture();
  const hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk, [plain.nodeId]: plain.publicJwk } });
  const approval = (id: 'count' | 'forever') =>
    toolApprovalSchema.parse({
      id,
      version: '1',
      image: { reference: `localhost/eucaim/${id}:1`, digest: buildToolImage(pm, TOOLS[id], `localhost/eucaim/${id}:1`) },
      parameters: [
        { name: 'label', type: 'string', maxLength: 40, default: 'none' },
        { name: 'threshold', type: 'integer', min: 0, max: 10, default: 1 },
      ],
      inputs: { min: 1, max: 2 },
      outputs: { allow: ['result.json', 'params.json'], maxFileBytes: 100_000, maxTotalBytes: MiB },
      flavour: { cpus: 1, memoryBytes: 64 * MiB, pids: 64 },
      timeoutSeconds: 300,
    });
  const approvals = { count: approval('count'), forever: approval('forever') };
  const toolsFile = join(node.root, 'tools.json');
  await writeFile(toolsFile, JSON.stringify(Object.values(approvals)));
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const grantKey = { ...(await exportJWK(privateKey)), kid: 'grant-1' } as PrivateJwk;
  const grantPublic = { ...(await exportJWK(publicKey)), kid: 'grant-1', alg: 'EdDSA' } as JWK;
  const env = {
    ...bridgeEnv(node, hub),
    SANDBOX_PATH: join(node.root, 'sandbox'),
    TOOLS_FILE: toolsFile,
    CONTAINER_SOCKET: pm.socketPath,
    HUB_GRANT_KEYS: JSON.stringify([grantPublic]),
  };
  const running: RunningBridge[] = [];
  const rig: BridgeRig = {
    pm,
    hub,
    node,
    plain,
    approvals,
    env,
    start: async (e = env, opts = {}) => {
      const logs = memoryLogger();
      const bridge = await startBridge(loadBridgeConfig(e), {
        logger: logs,
        minPollIntervalMs: 50,
        longPollSeconds: 1,
        healthIntervalMs: 300,
        backoff: { baseMs: 20, maxMs: 200 },
        ...opts,
      });
      running.push(bridge);
      return Object.assign(bridge, { logs });
    },
    containerNames: (part) =>
      pm
        .podman(['ps', '--all', '--format', '{{.Names}}'])
        .split('\n')
        .filter((n) => n.includes(part)),
    payload: async (tool, overrides = {}, target = node) => {
      const dataset = target.plan.datasets[0]?.id as string;
      const grant = await signGrant({
        claims: {
          sub: USER,
          jti: newId('grt'),
          exp: Math.floor(Date.now() / 1000) + 3600,
          dataset,
          access: 'REMOTE_PROCESSING',
          conditions: 'test',
          negotiation: newId('neg'),
        },
        issuer: hub.issuer,
        privateJwk: grantKey,
        kid: 'grant-1',
        nowMs: Date.now() - 60_000,
      });
      const a = approvals[tool];
      return {
        runId: newId('run'),
        user: USER,
        tool: { id: a.id, version: a.version, digest: a.image.digest },
        parameters: { threshold: 3 },
        inputs: [`${target.nodeId}:${dataset}`],
        grants: [grant],
        ...overrides,
      };
    },
    send: async (body, target = node) => {
      const jobId = newId('job');
      const jws = await hub.signJob({ jobId, nodeId: target.nodeId, body });
      hub.enqueue(target.nodeId, jws);
      return { jobId, jws };
    },
    statuses: (runId) => hub.processing.statuses.filter((s) => s.runId === runId).map((s) => s.body),
    ended: async (runId) => {
      const find = () => rig.statuses(runId).find((s) => s.state === 'ended');
      await hub.waitFor(() => find() !== undefined, 90_000);
      return (find() as Extract<RunStatusReport, { state: 'ended' }>).outcome;
    },
    close: async () => {
      for (const b of running) await b.stop();
      await hub.close();
      await pm.stop();
      await node.remove();
      await plain.remove();
    },
  };
  return rig;
}
