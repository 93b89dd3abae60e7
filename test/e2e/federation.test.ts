import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDemo } from '../../bridge/demo/plan.ts';
import { fetchDemoToken } from '../../scripts/oidc/token-client.ts';
import { podmanMissing } from '../support/podman.ts';
import { freePort } from '../support/ports.ts';

/** Subjects and studies (all datasets of the node) holding at least one series of a modality, computed from the generator's plan. */
function expected(seed: string, modality?: string) {
  const plan = planDemo(seed);
  const studies = plan.patients.flatMap((p) =>
    p.studies.filter((s) => !modality || s.series.some((r) => r.modality === modality)).map((s) => ({ patient: p.id, uid: s.uid })),
  );
  return { subjects_count: new Set(studies.map((s) => s.patient)).size, studies_count: studies.length };
}

/**
 * The README's `npm start`, as a user runs it: one process tree with the OIDC provider, the hub and
 * two bridge processes, on a fresh data folder; then stopped with Ctrl-C and started again.
 */
describe('npm start runs the whole federation', () => {
  let dir: string;
  let port: number;
  let oidcPort: number;
  let proc: ChildProcess | undefined;
  let output = '';
  const url = () => `http://127.0.0.1:${port}`;

  async function start() {
    output = '';
    proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      // OBFUSCATION=off reaches the bridges (npm start passes its environment on), so the counts can be
      // compared with the plan exactly; the bridge tests cover the obfuscated answers.
      env: {
        ...process.env,
        DATA_DIR: dir,
        PORT: String(port),
        OIDC_PORT: String(oidcPort),
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        OBFUSCATION: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d) => (output += d));
    proc.stderr?.on('data', (d) => (output += d));
    const started = Date.now();
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`npm start exited early:\n${output.slice(-3000)}`);
      const health = await fetch(`${url()}/api/v1/health`)
        .then((r) => r.json() as Promise<{ nodes: { id: string; online: boolean }[] }>)
        .catch(() => undefined);
      // Ready = both bridges online and the banner printed (it comes after the demo data is seeded).
      const ready = output.includes('Ctrl-C stops everything');
      if (ready && health && health.nodes.filter((n) => n.online).length === 2) return Date.now() - started;
      if (Date.now() - started > 60_000) throw new Error(`not ready within 60 s:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function stop() {
    const p = proc;
    if (!p || p.exitCode !== null) return p?.exitCode;
    const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
    p.kill('SIGINT');
    return exited;
  }

  async function search(token: string, ast: unknown) {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${url()}/api/v1/search`, { method: 'POST', headers, body: JSON.stringify({ ast }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    for (let i = 0; i < 100; i++) {
      const view = (await (await fetch(`${url()}/api/v1/search/${id}`, { headers })).json()) as {
        id: string;
        status: string;
        nodes: { nodeId: string; status: string; result: { total: { subjects_count: number; studies_count: number } } | null }[];
      };
      if (view.status === 'completed') return view;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('search did not complete');
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'federation-'));
    port = await freePort();
    oidcPort = await freePort();
  });
  afterAll(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });

  let firstSearchId = '';

  it('prints the banner and brings both demo bridges online within 60 s', async () => {
    const ms = await start();
    expect(ms).toBeLessThan(60_000);
    expect(output).toContain('demo logins');
    expect(output).toContain(url());
  });

  it('answers a count query as the demo researcher with counts from both bridges', async () => {
    const token = await fetchDemoToken({
      issuer: `http://127.0.0.1:${oidcPort}/oidc/`,
      dataDir: path.join(dir, 'oidc'),
      username: 'researcher',
    });
    const mr = {
      operand: 'OR',
      children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
    };
    const view = await search(token, mr);
    expect(view.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'answered'],
      ['node-b', 'answered'],
    ]);
    for (const n of view.nodes) expect(n.result?.total, n.nodeId).toEqual(expected(n.nodeId, 'MR'));
    const all = await search(token, { operand: 'OR', children: [] });
    for (const n of all.nodes) expect(n.result?.total, n.nodeId).toEqual(expected(n.nodeId));
    firstSearchId = view.id;
  });

  it('runs the demo tool on granted data at both bridges when Podman is here, and says processing is off otherwise', async () => {
    if (podmanMissing()) {
      expect(output).toContain('processing        off');
      return;
    }
    const token = await fetchDemoToken({
      issuer: `http://127.0.0.1:${oidcPort}/oidc/`,
      dataDir: path.join(dir, 'oidc'),
      username: 'researcher',
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // The demo researcher holds a processing grant per node, reached through a seeded negotiation.
    const { datasets } = (await (await fetch(`${url()}/api/v1/runs/datasets`, { headers })).json()) as {
      datasets: { datasetId: string; nodeId: string }[];
    };
    expect(datasets.map((d) => d.nodeId).sort()).toEqual(['node-a', 'node-b']);
    // As on the network page: a run is accepted once each node's health report says the tool is ready
    // (the first report can come just after the banner on a busy machine).
    type Nodes = { nodes: { id: string; health: { report: { tools: { toolId: string; ready: boolean }[] } } | null }[] };
    const ready = async () => {
      const { nodes } = (await (await fetch(`${url()}/api/v1/nodes`, { headers })).json()) as Nodes;
      return nodes.filter((n) => n.health?.report.tools.some((t) => t.toolId === 'file-counter' && t.ready)).length === 2;
    };
    for (let i = 0; i < 250 && !(await ready()); i++) await new Promise((r) => setTimeout(r, 200));
    const body = {
      tool: { id: 'file-counter', version: '1.0.0' },
      parameters: {},
      inputs: datasets.map((d) => `${d.nodeId}:${d.datasetId}`),
    };
    const created = await fetch(`${url()}/api/v1/runs`, { method: 'POST', headers, body: JSON.stringify(body) });
    const { id, ...rest } = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(rest)).toBe(201);
    type RunView = { state: string; nodes: { nodeId: string; state: string; outputs: { path: string }[] }[] };
    let run: RunView | undefined;
    for (let i = 0; i < 300 && run?.state !== 'completed'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      run = (await (await fetch(`${url()}/api/v1/runs/${id}`, { headers })).json()) as RunView;
      if (run.nodes.some((n) => ['failed', 'not_allowed', 'timed_out'].includes(n.state))) break;
    }
    expect(
      run?.nodes.map((n) => [n.nodeId, n.state, n.outputs.map((o) => o.path)]),
      JSON.stringify(run),
    ).toEqual([
      ['node-a', 'completed', ['result.json']],
      ['node-b', 'completed', ['result.json']],
    ]);
    const log = await (await fetch(`${url()}/api/v1/runs/${id}/nodes/node-a/log`, { headers })).text();
    expect(log).toMatch(/file-counter: \d+ files in 1 dataset/);
    const result = (await (await fetch(`${url()}/api/v1/runs/${id}/nodes/node-b/outputs/result.json`, { headers })).json()) as {
      subjects: Record<string, number>;
    };
    expect(Object.keys(result.subjects).length).toBeGreaterThan(0);
  });

  it('stops cleanly on Ctrl-C and keeps earlier searches across a restart', async () => {
    expect(await stop()).toBe(0);
    await start();
    const token = await fetchDemoToken({
      issuer: `http://127.0.0.1:${oidcPort}/oidc/`,
      dataDir: path.join(dir, 'oidc'),
      username: 'researcher',
    });
    const res = await fetch(`${url()}/api/v1/search/${firstSearchId}`, { headers: { authorization: `Bearer ${token}` } });
    const view = (await res.json()) as { status: string; nodes: { status: string }[] };
    expect(res.status, JSON.stringify(view)).toBe(200);
    expect(view.nodes.map((n) => n.status)).toEqual(['answered', 'answered']);
  });
});
