import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../functions/db/client.ts';
import { readSse } from '../web/src/sse.ts';
import { startTestHub } from '../test/support/hub.ts';
import { heartbeat, registerNodes } from '../test/support/sim-node.ts';
import type { NodesInput, NodeTiming } from './bench-fanout-nodes.ts';

/**
 * `npm run bench:search-fanout`: what the hub itself adds to a federated search. A real hub on
 * loopback (PGlite, or Postgres with TEST_DATABASE_URL) and 20 simulated bridges (a child process)
 * long-polling with real node tokens, each answering after a fixed think time. Overhead = end-to-end
 * time (POST until the event stream says completed) minus the slowest node's own time (job received
 * until its answer was accepted). Bounded: a fixed number of searches, then everything stops.
 */
const NODES = Number(process.env.BENCH_NODES ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 3;
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 20);
const TARGET_P95_MS = 50;

const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;
const row = (name: string, xs: number[]) =>
  `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;

/**
 * Transactions the hub's database committed so far (each autocommit statement is one): a figure the
 * machine's load does not blur. PostgreSQL only; the statistics lag by up to a second, so both reads
 * wait for a flush.
 */
async function transactions(hub: Awaited<ReturnType<typeof startTestHub>>): Promise<number> {
  if (!process.env.TEST_DATABASE_URL) return 0;
  await new Promise((r) => setTimeout(r, 1100));
  const rows = await hub.services.db.execute(
    sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`,
  );
  return Number(rowsOf<{ n: string }>(rows)[0]?.n ?? 0);
}

async function main() {
  const hub = await startTestHub();
  const timings = new Map<string, NodeTiming[]>();
  let worker: ChildProcess | undefined;
  try {
    const nodes = await registerNodes(
      hub,
      Array.from({ length: NODES }, (_, i) => `bench-${String(i).padStart(2, '0')}`),
    );
    // Online before the first search, or the hub rightly records them as skipped.
    await Promise.all(nodes.map((n) => heartbeat(n)));
    const input: NodesInput = {
      hubUrl: hub.url,
      thinkMs: THINK_MS,
      nodes: nodes.map((n) => ({ nodeId: n.nodeId, publicJwk: n.publicJwk, privateJwk: n.privateJwk })),
    };
    const entry = fileURLToPath(new URL('./bench-fanout-nodes.ts', import.meta.url));
    worker = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    worker.send(input);
    await new Promise<void>((resolve, reject) => {
      worker?.once('error', reject);
      worker?.once('exit', (code) => reject(new Error(`simulated nodes exited (${code})`)));
      worker?.on('message', (m: NodeTiming | string) => {
        if (m === 'ready') resolve();
        else if (typeof m === 'object') timings.set(m.searchId, [...(timings.get(m.searchId) ?? []), m]);
      });
    });

    const client = await hub.client('researcher');
    const ast = {
      operand: 'OR' as const,
      children: [
        {
          operand: 'AND' as const,
          children: [{ operand: 'OR' as const, children: [{ key: 'RID10311', type: 'EQUALS' as const, value: 'RID10312' }] }],
        },
      ],
    };
    const m = {
      posted: [] as number[],
      lastReceived: [] as number[],
      tail: [] as number[],
      e2e: [] as number[],
      slowest: [] as number[],
      overhead: [] as number[],
    };
    let cpu = process.cpuUsage();
    let xacts = 0;
    // The researcher's groups come from the provider's userinfo (as LS-AAI releases them): count those round trips.
    const userinfoBefore = hub.oidc.userinfoCalls();
    let userRequests = 0;
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      if (i === WARMUP) {
        cpu = process.cpuUsage();
        xacts = await transactions(hub);
      }
      const t0 = now();
      const created = await (await client.api.v1.search.$post({ json: { ast, deadlineSeconds: 10 } })).json();
      const posted = now() - t0;
      const stream = await client.api.v1.search[':id'].events.$get({ param: { id: created.id } });
      userRequests += 2;
      let completed = Number.NaN;
      let answered = 0;
      await readSse(stream.body as ReadableStream<Uint8Array>, (e) => {
        const view = JSON.parse(e.data) as { status: string; nodes: { status: string }[] };
        if (view.status === 'completed' && Number.isNaN(completed)) {
          completed = now() - t0;
          answered = view.nodes.filter((n) => n.status === 'answered').length;
        }
      });
      if (answered !== NODES) throw new Error(`round ${i}: only ${answered} of ${NODES} nodes answered`);
      // The worker's last message may still be in flight when the stream has already closed.
      for (let wait = 0; (timings.get(created.id)?.length ?? 0) < NODES && wait < 100; wait++) await new Promise((r) => setTimeout(r, 10));
      if (i < WARMUP) continue;
      const times = timings.get(created.id) ?? [];
      const slowest = Math.max(...times.map((x) => x.accepted - x.received));
      m.posted.push(posted);
      m.lastReceived.push(Math.max(...times.map((x) => x.received)) - t0);
      m.tail.push(completed - (Math.max(...times.map((x) => x.accepted)) - t0));
      m.e2e.push(completed);
      m.slowest.push(slowest);
      m.overhead.push(completed - slowest);
    }
    // CPU per search holds still when other work shares the machine; wall-clock percentiles do not.
    const used = process.cpuUsage(cpu);
    const xactsPerSearch = (await transactions(hub)) - xacts;
    const cpuPerSearch = (used.user + used.system) / 1000 / ROUNDS;
    console.log(
      `\n${NODES} simulated bridges, think time ${THINK_MS} ms, ${ROUNDS} searches (+${WARMUP} warm-up), database: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}\n`,
    );
    console.log('| measurement | n | p50 ms | p95 ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(row('POST /search answered (jobs signed and queued)', m.posted));
    console.log(row('last node has its job (from POST)', m.lastReceived));
    console.log(row('last answer accepted until the stream says completed', m.tail));
    console.log(row('end to end: POST until the event stream says completed', m.e2e));
    console.log(row("slowest node's own time (job received until answer accepted)", m.slowest));
    console.log(row('**hub fan-out overhead** (end to end minus slowest node)', m.overhead));
    console.log(
      `\nhub process CPU per search (incl. this driver): ${cpuPerSearch.toFixed(1)} ms; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
    );
    if (process.env.TEST_DATABASE_URL) {
      console.log(
        `hub database transactions per search (incl. idle long-polls; statistics flushed about once a second): ${(xactsPerSearch / ROUNDS).toFixed(1)}`,
      );
    }
    const userinfoCalls = hub.oidc.userinfoCalls() - userinfoBefore;
    console.log(
      `userinfo round trips (membership): ${userinfoCalls} for ${userRequests} requests with one token = ${(userinfoCalls / userRequests).toFixed(3)} per request (the first only; then cached until the token expires)`,
    );
    console.log(`target p95 overhead < ${TARGET_P95_MS} ms: ${pct(m.overhead, 95) < TARGET_P95_MS ? 'met' : 'NOT met'}`);
  } finally {
    if (worker) {
      const stopped = new Promise<void>((resolve) => worker?.on('message', (msg) => msg === 'stopped' && resolve()));
      worker.send('stop');
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await hub.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
