import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateNodeKeyPair, signNodeRequest, verifyNodeRequest } from '../shared/node-auth.ts';
import { nodeClient } from '../test/support/node-client.ts';
import { freePort } from '../test/support/ports.ts';
import { fetchDemoToken } from './oidc/token-client.ts';

/**
 * `npm run bench:search-slice`: the count query's round trip through a real local federation
 * (`npm start` on a scratch folder: hub on PGlite, two bridge processes long-polling), and the cost
 * of the node-token check every bridge call pays. Bounded: a fixed number of queries, then it stops.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const row = (name: string, xs: number[], unit = 'ms') =>
  `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${unit} |`;

async function federation() {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const port = await freePort();
  const oidcPort = await freePort();
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(port),
      OIDC_PORT: String(oidcPort),
      LOG_LEVEL: 'silent',
      SEARCH_DEADLINE_SECONDS: '5',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const h = await fetch(`${url}/api/v1/health`)
      .then((r) => r.json() as Promise<{ nodes: { online: boolean }[] }>)
      .catch(() => undefined);
    if (h && h.nodes.filter((n) => n.online).length === 2) break;
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('federation did not come up');
    await new Promise((r) => setTimeout(r, 250));
  }
  const tokenOf = (username: string) =>
    fetchDemoToken({ issuer: `http://127.0.0.1:${oidcPort}/oidc/`, dataDir: path.join(dir, 'oidc'), username });
  const token = await tokenOf('researcher');
  return {
    url,
    token,
    /** Registers a third node that heartbeats once and then never answers: a site gone silent. */
    async addSilentNode() {
      const silent = await nodeClient(url, 'node-silent');
      await fetch(`${url}/api/v1/nodes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenOf('admin')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: silent.nodeId, name: 'silent', publicJwk: silent.publicJwk }),
      });
      await silent.call('POST', '/api/v1/bridge/heartbeat', { version: 'bench', datasets: [] });
    },
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function roundTrip(url: string, token: string) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ast = {
    operand: 'OR',
    children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
  };
  const t0 = performance.now();
  const created = await fetch(`${url}/api/v1/search`, { method: 'POST', headers, body: JSON.stringify({ ast }) });
  const { id } = (await created.json()) as { id: string };
  const posted = performance.now() - t0;
  for (;;) {
    const view = (await (await fetch(`${url}/api/v1/search/${id}`, { headers })).json()) as { status: string };
    if (view.status === 'completed') return { posted, completed: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function nodeTokenCost(n: number) {
  const { privateJwk, publicJwk } = await generateNodeKeyPair();
  const sign: number[] = [];
  const verify: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ i });
    let t = performance.now();
    const token = await signNodeRequest({ nodeId: 'node-a', privateJwk, audience: 'http://hub', method: 'POST', path: '/x', body });
    sign.push(performance.now() - t);
    t = performance.now();
    await verifyNodeRequest({ token, audience: 'http://hub', method: 'POST', path: '/x', body, publicJwkFor: async () => publicJwk });
    verify.push(performance.now() - t);
  }
  return { sign, verify };
}

async function main() {
  const fed = await federation();
  try {
    const sequential: { posted: number; completed: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) sequential.push(await roundTrip(fed.url, fed.token));
    const parallel: { posted: number; completed: number }[] = [];
    for (let i = 0; i < ROUNDS / CONCURRENCY; i++) {
      parallel.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, () => roundTrip(fed.url, fed.token)))));
    }
    await fed.addSilentNode();
    const withSilent: { posted: number; completed: number }[] = [];
    for (let i = 0; i < 3; i++) withSilent.push(await roundTrip(fed.url, fed.token));
    const tokens = await nodeTokenCost(500);
    console.log('| measurement | n | p50 | p95 | max | unit |');
    console.log('|---|---|---|---|---|---|');
    console.log(
      row(
        'POST /search accepted (jobs signed and queued for 2 nodes)',
        sequential.map((r) => r.posted),
      ),
    );
    console.log(
      row(
        'count query answered by both bridges, one at a time',
        sequential.map((r) => r.completed),
      ),
    );
    console.log(
      row(
        `count query answered by both bridges, ${CONCURRENCY} at once`,
        parallel.map((r) => r.completed),
      ),
    );
    console.log(
      row(
        'count query with a third node gone silent (deadline 5 s)',
        withSilent.map((r) => r.completed),
      ),
    );
    console.log(row('node token: sign (bridge side)', tokens.sign));
    console.log(row('node token: verify incl. body hash (hub side, no DB)', tokens.verify));
  } finally {
    await fed.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
