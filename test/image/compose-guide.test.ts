import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateDemo } from '../../bridge/demo/generate.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import type { PodmanService } from '../support/podman.ts';
import { startEngine } from './site.ts';
import { MR_QUERY, expectedMr, printedJson, search, waitOnline } from './support.ts';

/**
 * The install guide's Compose section, word for word: every shell block between its markers runs
 * as written, in order, in one site folder; only the lines where a site types its own values
 * (`NAME=value`) get this test's values. `docker` is Podman here and `docker compose` is
 * docker-compose on Podman's Docker-compatible socket. Between the blocks the test plays the hub's
 * operator (registering the node from what `init` printed) and waits where the guide says to.
 * The hub listens on loopback, so the bridge's containers share the host's network
 * (BRIDGE_NETWORK_MODE=host, and Podman's default for plain `run`).
 */
const image = inject('bridgeImage');
const nextImage = inject('bridgeImageNext');
const nextVersion = inject('bridgeImageNextVersion');
const nodeId = `node-guide-${crypto.randomUUID().slice(0, 6)}`;

let hub: TestHub;
let pm: PodmanService;
let work: string;
let values: Record<string, string>;
let shellEnv: NodeJS.ProcessEnv;

/** The shell blocks of the guide's Compose section, in order. */
async function guideBlocks(): Promise<string[]> {
  const text = await readFile(new URL('../../bridge/deploy/README.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('<!-- compose-guide -->'), text.indexOf('<!-- /compose-guide -->'));
  return [...section.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map((m) =>
    (m[2] ?? '')
      .split('\n')
      .map((l) => l.slice((m[1] ?? '').length))
      .join('\n'),
  );
}

/** The block with the site's own values replaced by this test's. */
const withValues = (block: string) =>
  block.replace(/^([A-Z_]+)=.*$/gm, (line, name: string) => (name in values ? `${name}='${values[name]}'` : line));

function bash(script: string): Promise<{ code: number; out: string }> {
  const prelude = [
    'set -euo pipefail',
    // The guide's `docker`: Podman, and Compose on Podman's socket.
    'docker() { if [ "$1" = compose ]; then shift; docker-compose --ansi never "$@"; else podman "$@"; fi; }',
    ...Object.entries(values).map(([k, v]) => `${k}='${v}'`),
    'cd "$SITE" 2>/dev/null || true',
  ].join('\n');
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${prelude}\n${script}`],
      { env: shellEnv, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
      },
    );
  });
}

beforeAll(async () => {
  hub = await startTestHub();
  pm = await startEngine();
  work = await mkdtemp(join(tmpdir(), 'guide-'));
  await generateDemo({ dataDir: join(work, 'imaging'), seed: nodeId });
  values = {
    SITE: join(work, 'eucaim-bridge'),
    BRIDGE_IMAGE: image,
    HUB_URL: hub.url,
    NODE_ID: nodeId,
    NODE_NAME: 'Guide test node',
    ADMIN: 'dataholder',
    DATA_PATH: join(work, 'imaging'),
    NEW_IMAGE: nextImage,
  };
  // Plain `podman run` (the guide's `docker run`) joins the host's network by default here.
  const conf = join(work, 'containers.conf');
  await writeFile(conf, `${await readFile(pm.env.CONTAINERS_CONF as string, 'utf8')}netns="host"\n`);
  shellEnv = {
    ...pm.env,
    CONTAINERS_CONF: conf,
    DOCKER_HOST: `unix://${pm.socketPath}`,
    BRIDGE_NETWORK_MODE: 'host',
  };
});

afterAll(async () => {
  await bash('docker compose down -v --timeout 40 || true');
  await pm?.stop();
  await hub?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the install guide for Compose, followed word for word', () => {
  it('takes a new site from nothing to an online node, and through an upgrade', async () => {
    const blocks = await guideBlocks();
    expect(blocks.length).toBe(8);
    const [, folder, composeFile, init, doctor, up, status, upgrade] = blocks as string[];
    for (const block of [folder, composeFile]) {
      const r = await bash(withValues(block as string));
      expect(r.code, r.out).toBe(0);
    }
    expect(await readFile(join(values.SITE as string, 'compose.yaml'), 'utf8')).toContain('stop_grace_period: 40s');

    const initRun = await bash(withValues(init as string));
    expect(initRun.code, initRun.out).toBe(0);
    // The operator registers the node from what init printed, and nothing else.
    const registration = printedJson<Record<string, unknown>>(initRun.out);
    const admin = await hub.client('admin');
    expect((await admin.api.v1.nodes.$post({ json: registration as never })).status).toBe(201);

    const doctorRun = await bash(withValues(doctor as string));
    expect(doctorRun.code, doctorRun.out).toBe(0);
    expect(doctorRun.out).toMatch(/ok\s+registration\s+NODE_ID/);

    const upRun = await bash(withValues(up as string));
    expect(upRun.code, upRun.out).toBe(0);
    await waitOnline(hub, nodeId, '0.1.0');
    const statusRun = await bash(withValues(status as string));
    expect(statusRun.code, statusRun.out).toBe(0);
    expect(statusRun.out).toMatch(/online\s+yes/);
    // As installed, the node obfuscates: counts come rounded to tens, never below the true small ones.
    const view = await search(hub, MR_QUERY);
    const total = view.nodes.find((n) => n.nodeId === nodeId)?.result?.total as { subjects_count: number; studies_count: number };
    expect(total.subjects_count % 10).toBe(0);
    expect(total.subjects_count).toBeGreaterThanOrEqual(10);
    expect(expectedMr(nodeId).subjects_count).toBeGreaterThan(0);

    const upgradeRun = await bash(withValues(upgrade as string));
    expect(upgradeRun.code, upgradeRun.out).toBe(0);
    await waitOnline(hub, nodeId, nextVersion);
    const again = await search(hub, MR_QUERY);
    expect(again.nodes.find((n) => n.nodeId === nodeId)?.status).toBe('answered');
  });
});
