import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateDemo } from '../../bridge/demo/generate.ts';
import { type ToolApproval, toolApprovalSchema } from '../../shared/processing/tool.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import type { PodmanService } from '../support/podman.ts';
import { buildToolImage } from '../processing/images.ts';
import { BRIDGE_UID, ENGINE_GID, ownedByBridge, podmanOk, podmanResult, startEngine, waitFor } from './site.ts';
import { MR_QUERY, expectedMr, grantResearcher, nodeListing, printedJson, runView, search, startRun, waitOnline } from './support.ts';

/**
 * The bridge image as a site runs it: read-only root, no capability, no new privileges, the data
 * read-only, the state in a volume, the key as a secret, no port published. It is set up with its own
 * `init`, checked with `doctor`, comes online, answers the Explorer, runs a tool through the engine's
 * socket, survives a restart, and is replaced by a newer build on the same state. The hub is the
 * real one; it listens on loopback, so the containers share the host's network.
 */
const image = inject('bridgeImage');
const nextImage = inject('bridgeImageNext');
const nextVersion = inject('bridgeImageNextVersion');
const nodeId = `node-img-${crypto.randomUUID().slice(0, 6)}`;
const container = `bridge-${nodeId}`;
const volume = `state-${nodeId}`;

let hub: TestHub;
let pm: PodmanService;
let site: string;
let tool: ToolApproval;
let dataset = '';
const dirs = { config: '', data: '', sandbox: '' };

// A tool that counts its input files after sleeping `seconds`: slow enough to be caught mid-run.
const TOOL_SCRIPT = `sleep "$PARAM_SECONDS"
n=$(find /input -type f | wc -l)
printf '{"files":%s}' "$n" > /output/result.json
echo "counted $n files"`;

/** `podman run` with the settings the install guide gives a site, on this image. */
function runBridge(img: string): Promise<string> {
  return podmanOk(pm, [
    'run',
    '--detach',
    '--name',
    container,
    '--network=host',
    '--read-only',
    '--read-only-tmpfs=false',
    '--tmpfs',
    '/tmp:size=64m,mode=1777',
    '--cap-drop=ALL',
    '--security-opt=no-new-privileges',
    `--group-add=${ENGINE_GID}`,
    '--stop-timeout=40',
    '-v',
    `${volume}:/state`,
    '-v',
    `${dirs.data}:/data:ro`,
    '-v',
    `${dirs.config}:/config:ro`,
    // The key as a secret file, bound read-only where Compose puts a file secret (Podman 4.3's own
    // secrets cannot be mounted on a read-only root).
    '-v',
    `${join(dirs.config, 'node-key.json')}:/run/secrets/node-key:ro`,
    '-v',
    `${pm.socketPath}:/run/engine.sock`,
    '-v',
    `${dirs.sandbox}:${dirs.sandbox}`,
    '-e',
    'BRIDGE_CONFIG=/config/bridge.env',
    img,
    'start',
  ]);
}

const logs = async (name = container) => (await await podmanResult(pm, ['logs', name])).out;
const stopBridge = () => podmanOk(pm, ['stop', '--time=40', container], 90_000);

beforeAll(async () => {
  hub = await startTestHub();
  pm = await startEngine();
  site = await mkdtemp(join(tmpdir(), 'bridge-site-'));
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) {
    dirs[k] = join(site, k);
    await mkdir(dirs[k]);
  }
  const { plan } = await generateDemo({ dataDir: dirs.data, seed: nodeId });
  dataset = plan.datasets[0]?.id as string;
  ownedByBridge(dirs.config, dirs.sandbox);
  tool = toolApprovalSchema.parse({
    id: 'slow-count',
    version: '1',
    image: { reference: 'localhost/eucaim/slow-count:1', digest: buildToolImage(pm, TOOL_SCRIPT, 'localhost/eucaim/slow-count:1') },
    parameters: [{ name: 'seconds', type: 'integer', min: 0, max: 60, default: 0 }],
    inputs: { min: 1, max: 1 },
    outputs: { allow: ['result.json'], maxFileBytes: 10_000, maxTotalBytes: 100_000 },
    flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024, pids: 64 },
    timeoutSeconds: 300,
  });
});

afterAll(async () => {
  for (const args of [
    ['rm', '--force', '--time=0', container],
    ['volume', 'rm', '--force', volume],
  ])
    await podmanResult(pm, args);
  await pm?.stop();
  await hub?.stop();
  await rm(site, { recursive: true, force: true });
});

describe('the bridge image, run as a site runs it', () => {
  it('sets a new node up with its own init, which the hub registers from what it printed', async () => {
    const init = await podmanResult(pm, [
      'run',
      '--rm',
      '--network=host',
      `--user=${BRIDGE_UID}:${BRIDGE_UID}`,
      '-v',
      `${dirs.config}:/config`,
      image,
      'init',
      '--config',
      '/config/bridge.env',
      '--node-id',
      nodeId,
      '--hub-url',
      hub.url,
      '--name',
      'Image test node',
      '--admin',
      'dataholder',
    ]);
    expect(init.code, init.out).toBe(0);
    const registration = printedJson<{ id: string; publicJwk: { x: string }; admins: string[] }>(init.out);
    expect(registration).toMatchObject({ id: nodeId, admins: ['dataholder'] });
    expect(init.out).not.toContain('"d"');
    const settings = await readFile(join(dirs.config, 'bridge.env'), 'utf8');
    // Pinned at init, while the admin can compare them with the operator's.
    expect(settings).toMatch(/^HUB_JOB_KEYS='\[\{/m);
    const admin = await hub.client('admin');
    expect((await admin.api.v1.nodes.$post({ json: { ...registration, name: 'Image test node' } as never })).status).toBe(201);

    // What the node's admin adds for processing: the tool approved here and at the hub, and the engine.
    const holder = await hub.client('dataholder');
    expect((await admin.api.v1.tools.$post({ json: tool })).status).toBe(201);
    const allowed = await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({
      param: { nodeId, toolId: tool.id, version: tool.version },
    });
    expect(allowed.status).toBe(200);
    await writeFile(join(dirs.config, 'tools.json'), JSON.stringify([tool]));
    await appendFile(
      join(dirs.config, 'bridge.env'),
      [
        'OBFUSCATION=off',
        'REINDEX_INTERVAL_SECONDS=0',
        'HEALTH_INTERVAL_SECONDS=2',
        `SANDBOX_PATH=${dirs.sandbox}`,
        'TOOLS_FILE=/config/tools.json',
        'CONTAINER_SOCKET=/run/engine.sock',
        '',
      ].join('\n'),
    );
    await podmanOk(pm, ['volume', 'create', volume]);
  });

  it('passes its own doctor before the first start', async () => {
    const doctor = await podmanResult(pm, [
      'run',
      '--rm',
      '--network=host',
      '--read-only',
      `--group-add=${ENGINE_GID}`,
      '-v',
      `${volume}:/state`,
      '-v',
      `${dirs.data}:/data:ro`,
      '-v',
      `${dirs.config}:/config:ro`,
      '-v',
      `${join(dirs.config, 'node-key.json')}:/run/secrets/node-key:ro`,
      '-v',
      `${pm.socketPath}:/run/engine.sock`,
      '-v',
      `${dirs.sandbox}:${dirs.sandbox}`,
      '-e',
      'BRIDGE_CONFIG=/config/bridge.env',
      image,
      'doctor',
    ]);
    expect(doctor.code, doctor.out).toBe(0);
    expect(doctor.out).toMatch(/ok\s+registration\s+NODE_ID\s+the hub knows node/);
    expect(doctor.out).toMatch(/ok\s+container engine\s+CONTAINER_SOCKET/);
    expect(doctor.out).toMatch(/ok\s+data folder\s+DATA_DIR\s+2 datasets .*read-only/);
  });

  it('comes online hardened: read-only root, no capability, no new privileges, no port', async () => {
    await runBridge(image);
    const online = await waitOnline(hub, nodeId, '0.1.0');
    expect(online.protocol).toBe(1);
    const [inspect] = JSON.parse(await podmanOk(pm, ['inspect', container])) as {
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[]; PortBindings: Record<string, unknown> };
      NetworkSettings: { Ports: Record<string, unknown> };
    }[];
    expect(inspect?.HostConfig.ReadonlyRootfs).toBe(true);
    expect(inspect?.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(Object.keys(inspect?.HostConfig.PortBindings ?? {})).toEqual([]);
    expect(inspect?.Config.User).toBe('65532:65532');
    // From inside: the effective capability set is empty and the root refuses writes.
    const status = await podmanResult(pm, [
      'exec',
      container,
      '/usr/local/bin/node',
      '-e',
      "process.stdout.write(require('fs').readFileSync('/proc/self/status','utf8'))",
    ]);
    expect(status.out).toMatch(/CapEff:\s+0000000000000000/);
    expect(status.out).toMatch(/NoNewPrivs:\s+1/);
    const write = await podmanResult(pm, ['exec', container, '/usr/local/bin/node', '-e', "require('fs').writeFileSync('/app/x', 'x')"]);
    expect(write.code).not.toBe(0);
    expect(write.out).toMatch(/EROFS/);
  });

  it('answers a search from the Explorer with its counts', async () => {
    const view = await search(hub, MR_QUERY);
    const mine = view.nodes.find((n) => n.nodeId === nodeId);
    expect(mine?.status).toBe('answered');
    expect(mine?.result?.total).toEqual(expectedMr(nodeId));
  });

  it('runs the tool through the engine socket and reports by its own healthcheck and status', async () => {
    await grantResearcher(hub, dataset);
    const runId = await startRun(hub, {
      tool: { id: tool.id, version: tool.version },
      parameters: { seconds: 0 },
      inputs: [`${nodeId}:${dataset}`],
    });
    const done = await waitFor(
      async () => ((await runView(hub, runId)).state === 'completed' ? runView(hub, runId) : undefined),
      90_000,
      'run',
    );
    expect(done.nodes.map((n) => [n.nodeId, n.state, n.outputs.map((o) => o.path)])).toEqual([[nodeId, 'completed', ['result.json']]]);
    // The image's HEALTHCHECK command, run by the engine; and `status`, as an admin would run it.
    expect((await podmanResult(pm, ['healthcheck', 'run', container])).code).toBe(0);
    const status = await podmanResult(pm, ['exec', container, '/usr/local/bin/node', '/app/bridge.mjs', 'status', '--json']);
    expect(status.code, status.out).toBe(0);
    const s = JSON.parse(status.out) as {
      online: boolean;
      status: { jobs: { handled: number }; index: { datasets: number } };
      runs: { finished: number };
    };
    expect(s.online).toBe(true);
    expect(s.status.index.datasets).toBe(2);
    expect(s.status.jobs.handled).toBeGreaterThanOrEqual(2);
    expect(s.runs.finished).toBe(1);
  });

  it('is stopped and started again with nothing lost: the index is reused, not rebuilt', async () => {
    await stopBridge();
    expect((await podmanResult(pm, ['healthcheck', 'run', container])).code).not.toBe(0);
    await podmanOk(pm, ['start', container]);
    await waitFor(async () => ((await logs()).match(/"msg":"data indexed"/g)?.length === 2 ? true : undefined), 60_000, 'indexed again');
    const second = (await logs()).split('\n').filter((l) => l.includes('"msg":"data indexed"'))[1] ?? '';
    expect(JSON.parse(second)).toMatchObject({ filesRead: 0, datasets: 2 });
    await waitOnline(hub, nodeId, '0.1.0');
    const view = await search(hub, MR_QUERY);
    expect(view.nodes.find((n) => n.nodeId === nodeId)?.result?.total).toEqual(expectedMr(nodeId));
  });

  it('is replaced by a newer build on the same state: no job, run or report lost or done twice', async () => {
    const body = (seconds: number) => ({
      tool: { id: tool.id, version: tool.version },
      parameters: { seconds },
      inputs: [`${nodeId}:${dataset}`],
    });
    // One run in hand and one queued behind it (one run at a time here), when the upgrade comes.
    const inHand = await startRun(hub, body(20));
    await waitFor(async () => (await runView(hub, inHand)).nodes[0]?.state === 'running', 60_000, 'the first run runs');
    const queued = await startRun(hub, body(0));
    await waitFor(async () => (await runView(hub, queued)).nodes[0]?.state === 'queued', 60_000, 'the second run waits');
    await stopBridge();
    const oldLogs = await logs();
    await podmanOk(pm, ['rm', container]);
    // A search while no bridge runs: its job waits at the hub for the new one.
    const pending = search(hub, MR_QUERY, 60);
    await runBridge(nextImage);
    const online = await waitOnline(hub, nodeId, nextVersion);
    expect(online.update.due).toBe(false);
    const view = await pending;
    expect(view.nodes.find((n) => n.nodeId === nodeId)?.status).toBe('answered');

    const ended = await waitFor(
      async () => ((await runView(hub, queued)).state === 'completed' ? runView(hub, queued) : undefined),
      90_000,
      'queued run',
    );
    expect(ended.nodes[0]?.outputs.map((o) => o.path)).toEqual(['result.json']);
    // The run in hand was stopped by the stop, reported once, and never started again.
    const stopped = await runView(hub, inHand);
    expect([stopped.nodes[0]?.state, stopped.nodes[0]?.reason?.code]).toEqual(['failed', 'bridge_stopped']);
    const reports = (text: string, runId: string, state: string) =>
      text.split('\n').filter((l) => l.includes('"msg":"run status reported"') && l.includes(runId) && l.includes(`"state":"${state}"`))
        .length;
    const newLogs = await logs();
    expect([reports(oldLogs, inHand, 'running'), reports(newLogs, inHand, 'running'), reports(oldLogs + newLogs, inHand, 'ended')]).toEqual(
      [1, 0, 1],
    );
    expect([reports(oldLogs, queued, 'running'), reports(newLogs, queued, 'running'), reports(oldLogs + newLogs, queued, 'ended')]).toEqual(
      [0, 1, 1],
    );
    expect(newLogs).toContain('queued runs taken back');
    // The state folder now carries the new version's mark.
    const mount = await podmanOk(pm, ['volume', 'inspect', volume, '--format', '{{.Mountpoint}}']);
    expect(JSON.parse(await readFile(join(mount, 'state-version.json'), 'utf8'))).toEqual({ schema: 1, writtenBy: nextVersion });
    expect((await nodeListing(hub, nodeId))?.version).toBe(nextVersion);
  });
});
