import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { buildApp } from '../functions/app.ts';
import { loadHubConfig } from '../functions/config.ts';
import { silentLogger } from '../functions/ports/logger.ts';
import { createNodeServices } from '../functions/runtime/node-services.ts';
import { bulkLoad } from '../functions/tracer/bulk-load.ts';
import { entryPage } from '../functions/tracer/entry-rows.ts';
import { useNodeSha256 } from '../functions/tracer/node-sha256.ts';
import { listCheckpoints } from '../functions/tracer/proofs.ts';
import { createTracer } from '../functions/tracer/tracer-service.ts';
import type { TraceInput } from '../shared/tracer/actions.ts';
import { jsSha256Impl, useSha256 } from '../shared/tracer/sha256.ts';
import { LogVerifier } from '../shared/tracer/verify-log.ts';
import { startTestHub } from '../test/support/hub.ts';
import { HashPool, addEntriesThreaded, feedPages } from './tracer-verify-threads.ts';

/**
 * `npm run bench:tracer`: the tracer on real PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, a
 * scratch database is created and dropped). Appends/s for 1, 4 and 16 writers with each sequencer,
 * verification speed of a BENCH_ENTRIES-entry log (default 1,000,000): in this process, on worker
 * threads, and by `npm run tracer:verify` over HTTP against a real hub; inclusion-proof latency.
 * Bounded: each append run lasts BENCH_SECONDS (default 3), proofs are BENCH_PROOFS requests.
 */
const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres:x@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 500);
const APPENDS = process.env.BENCH_APPENDS !== '0';
const THREADS = (process.env.BENCH_THREADS ?? '1,2')
  .split(',')
  .map(Number)
  .filter((k) => k > 0);
const COMPARE_WITH = process.env.BENCH_COMPARE_WITH;

/** Another checkout's verifier, its own module instances (its SHA-256 switched to node:crypto). */
async function compareTree(root: string): Promise<{ LogVerifier: typeof LogVerifier }> {
  const at = (file: string) => pathToFileURL(path.resolve(root, file)).href;
  (await import(at('functions/tracer/node-sha256.ts'))).useNodeSha256();
  return import(at('shared/tracer/verify-log.ts'));
}

const input = (i: number): TraceInput => ({
  userId: `user-${i % 997}`,
  userAction: 'USE_DATASETS',
  datasetIds: [`7f0c7a8e-0000-4000-8000-${String(i % 5000).padStart(12, '0')}`],
  tool: { name: 'radiomics', version: '1.2.0' },
  runId: `run-${i}`,
  nodeId: 'node-a',
});
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

async function scratchHub(name: string) {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-tracer-'));
  const config = loadHubConfig({ DATABASE_URL: url.toString(), DATA_DIR: dir, LOG_LEVEL: 'silent', TRACER_CHECKPOINT_EVERY: '1000' });
  const hub = await createNodeServices(config, { logger: silentLogger });
  return {
    ...hub,
    url: url.toString(),
    async drop() {
      await hub.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function appendRun(services: Awaited<ReturnType<typeof scratchHub>>['services'], sequencer: 'batch' | 'direct', writers: number) {
  const tracer = createTracer({ ...services.tracer.deps, sequencer });
  const stopAt = Date.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (Date.now() < stopAt) {
        await tracer.append({ input: input(done), submitter: 'hub' });
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

const rows: string[] = ['| measurement | value | note |', '|---|---|---|'];
const suffix = `${Date.now().toString(36)}`;

const a = APPENDS ? await scratchHub(`bench_tracer_a_${suffix}`) : undefined;
if (a)
  try {
    for (const sequencer of ['direct', 'batch'] as const) {
      for (const writers of [1, 4, 16]) {
        const rate = await appendRun(a.services, sequencer, writers);
        rows.push(
          `| appends/s, ${writers} writer${writers > 1 ? 's' : ''}, ${sequencer === 'batch' ? 'batching sequencer' : 'one transaction per trace'} | ${rate.toFixed(0)} | ${SECONDS} s run, advisory lock |`,
        );
        console.error(`appends ${sequencer} ${writers}: ${rate.toFixed(0)}/s`);
      }
    }
  } finally {
    await a.drop();
  }

// The verification passes run on a real hub (loopback OIDC, its own scratch database on the same
// server) so that the independent verifier can be measured through the API as operators run it.
process.env.TEST_DATABASE_URL = base;
const hub = await startTestHub({ env: { TRACER_CHECKPOINT_EVERY: '1000' } });
const dir = await mkdtemp(path.join(tmpdir(), 'bench-tracer-cli-'));
try {
  let t = performance.now();
  await bulkLoad(hub.services.db, { count: ENTRIES, make: input, signer: hub.services.tracer.signer });
  rows.push(
    `| generate + load ${ENTRIES.toLocaleString('en')} entries | ${((performance.now() - t) / 1000).toFixed(1)} s | chained, hashed, subtrees stored, one checkpoint |`,
  );
  console.error('loaded');

  // Passes over the stored log: the JavaScript SHA-256 every runtime has, node:crypto's, then worker
  // threads (node:crypto in each) hashing pages the main thread read, then workers reading their own.
  const checkpoints = await listCheckpoints(hub.services.db, 0, 1_000_000);
  const n = ENTRIES.toLocaleString('en');
  // BENCH_COMPARE_WITH=<another checkout> adds passes of that tree's verifier (node:crypto) on the same
  // loaded log, alternating with this tree's, so before and after share the run and the machine's load.
  const other = COMPARE_WITH ? await compareTree(COMPARE_WITH) : undefined;
  const threadPasses = THREADS.map((k) => `${k} worker thread${k > 1 ? 's' : ''}`);
  const passes = other
    ? [
        'JavaScript SHA-256',
        'before: node:crypto SHA-256',
        'node:crypto SHA-256',
        ...threadPasses,
        'before: node:crypto SHA-256',
        'node:crypto SHA-256',
      ]
    : ['JavaScript SHA-256', 'node:crypto SHA-256', ...threadPasses];
  for (const impl of passes) {
    // The hub switched this process to node:crypto; the first pass measures what browsers and Workers run.
    if (impl === 'JavaScript SHA-256') useSha256(jsSha256Impl);
    else useNodeSha256();
    const threads = THREADS.find((k) => impl.startsWith(`${k} worker`));
    const pool = threads ? new HashPool(threads) : undefined;
    await pool?.ready();
    const verifier = impl.startsWith('before:') && other ? new other.LogVerifier(checkpoints) : new LogVerifier(checkpoints);
    let computeMs = 0;
    t = performance.now();
    for (let from = 0; ; ) {
      const page = await entryPage(hub.services.db, from, 20_000);
      const c = performance.now();
      if (pool) await addEntriesThreaded(verifier, page, pool);
      else for (const e of page) verifier.add(e);
      computeMs += performance.now() - c;
      if (page.length < 20_000) break;
      from = page[page.length - 1]!.seq + 1;
    }
    const totalMs = performance.now() - t;
    await pool?.close();
    const report = verifier.report();
    if (!report.consistent) throw new Error(`bench log does not verify: ${JSON.stringify(report.firstBad)}`);
    rows.push(
      `| verify ${n} entries, recompute only (${impl}) | ${Math.round(ENTRIES / (computeMs / 1000)).toLocaleString('en')} entries/s | hashes, links, Merkle root vs signed checkpoint |`,
    );
    rows.push(
      `| verify ${n} entries incl. reading them from PostgreSQL (${impl}) | ${Math.round(ENTRIES / (totalMs / 1000)).toLocaleString('en')} entries/s | ${(totalMs / 1000).toFixed(1)} s, pages of 20,000 |`,
    );
    console.error(`verified (${impl}): ${Math.round(ENTRIES / (computeMs / 1000))}/s recompute`);
  }
  for (const threads of THREADS) {
    // Each worker reads its own pages (by seq range) from PostgreSQL and hashes them; the main thread links and builds the tree.
    const pool = new HashPool(threads);
    await pool.ready();
    const verifier = new LogVerifier(checkpoints);
    t = performance.now();
    const databaseUrl = hub.databaseUrl as string;
    await feedPages(verifier, pool, {
      task: (k) => ({ kind: 'postgres', databaseUrl, from: k * 5000, limit: 5000 }),
      pageSize: 5000,
      pages: Math.ceil(ENTRIES / 5000),
    });
    const totalMs = performance.now() - t;
    await pool.close();
    const report = verifier.report();
    if (!report.consistent) throw new Error(`bench log does not verify: ${JSON.stringify(report.firstBad)}`);
    rows.push(
      `| verify ${n} entries, ${threads} worker thread${threads > 1 ? 's' : ''} each reading its pages from PostgreSQL | ${Math.round(ENTRIES / (totalMs / 1000)).toLocaleString('en')} entries/s | ${(totalMs / 1000).toFixed(1)} s end to end, pages of 5,000 |`,
    );
    console.error(`verified (${threads} threads reading)`);
  }

  // The independent verifier as operators run it: `npm run tracer:verify` in its own process, over
  // HTTP. Against the live hub (which reads, re-checks and serializes every page on the same two
  // cores), then against the hub's answers replayed from memory: the verifier's own throughput.
  const keyFile = path.join(dir, 'tracer-key.json');
  await writeFile(keyFile, JSON.stringify(hub.services.tracer.signer.publicKey));
  const token = await hub.token('admin');
  const replay = await startReplayProxy(hub.url);
  try {
    await runVerifierCli(replay.url, token, keyFile, 0); // records every answer once
    for (const threads of [0, ...THREADS]) {
      const label = threads === 0 ? 'one thread' : `${threads} worker thread${threads > 1 ? 's' : ''}`;
      const live = await runVerifierCli(hub.url, token, keyFile, threads);
      rows.push(
        `| \`tracer:verify\` ${n} entries over HTTP, live hub on the same machine (${label}) | ${Math.round(ENTRIES / live).toLocaleString('en')} entries/s | ${live.toFixed(1)} s: download, validate, recompute, consistency proof |`,
      );
      const replayed = await runVerifierCli(replay.url, token, keyFile, threads);
      rows.push(
        `| \`tracer:verify\` ${n} entries over HTTP, the hub's answers replayed (${label}) | ${Math.round(ENTRIES / replayed).toLocaleString('en')} entries/s | ${replayed.toFixed(1)} s: the verifier's own cost |`,
      );
      console.error(`tracer:verify (${label}): live ${live.toFixed(1)} s, replayed ${replayed.toFixed(1)} s`);
    }
  } finally {
    await replay.close();
  }
  rows.push(
    `| machine load average after the verification passes (1 / 5 / 15 min) | ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} | 2 cores shared with PostgreSQL |`,
  );

  const app = buildApp(hub.services);
  const latencies: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const seq = Math.floor(Math.random() * ENTRIES);
    const s = performance.now();
    const res = await app.request(`/tracer/api/v1/proofs/inclusion?seq=${seq}&treeSize=${ENTRIES}`);
    if (res.status !== 200) throw new Error(`inclusion proof answered ${res.status}`);
    await res.json();
    latencies.push(performance.now() - s);
  }
  rows.push(
    `| inclusion proof at ${ENTRIES.toLocaleString('en')} entries, p50 / p95 | ${pct(latencies, 50).toFixed(2)} / ${pct(latencies, 95).toFixed(2)} ms | ${PROOFS} requests through the Hono app, one query each |`,
  );
} finally {
  await hub.stop();
  await rm(dir, { recursive: true, force: true });
}
console.log(rows.join('\n'));

/** Runs the verifier CLI in its own process; answers the seconds it reports for its whole run. */
async function runVerifierCli(url: string, token: string, keyFile: string, threads: number): Promise<number> {
  const args = [
    '--import',
    'tsx',
    'scripts/tracer-verify.ts',
    '--url',
    url,
    '--token',
    token,
    '--key',
    keyFile,
    '--threads',
    String(threads),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const [code] = await once(child, 'close');
  const seconds = /^OK: .*, ([\d.]+) s\)$/m.exec(out)?.[1];
  if (code !== 0 || !seconds) throw new Error(`tracer:verify exited ${code}: ${out}`);
  return Number(seconds);
}

/** A loopback HTTP server that forwards each request once and answers it from memory after that. */
async function startReplayProxy(target: string) {
  const kept = new Map<string, { status: number; type: string; body: Buffer }>();
  const server = createServer(async (req, res) => {
    const key = req.url ?? '/';
    let answer = kept.get(key);
    if (!answer) {
      const upstream = await fetch(target + key, {
        headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
      });
      answer = {
        status: upstream.status,
        type: upstream.headers.get('content-type') ?? 'application/json',
        body: Buffer.from(await upstream.arrayBuffer()),
      };
      if (upstream.ok) kept.set(key, answer);
    }
    res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length });
    res.end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
