import os from 'node:os';
import { and, eq } from 'drizzle-orm';
import { spotTasks } from '../functions/spot/spot.sql.ts';
import { startTestHub } from '../test/support/hub.ts';
import { heartbeat, registerNodes } from '../test/support/sim-node.ts';
import { lensQuery } from '../test/support/spot-client.ts';
import { sseParser } from '../web/src/sse.ts';

/**
 * `npm run bench:spot` (part of `bench:search`): what the hub's Spot protocol costs a Lens explorer
 * next to the hub's own event stream. A real hub on loopback (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL), two online nodes that never answer (the first event of both streams is sent as
 * the stream opens), a fixed number of searches. Each search is started through `POST /beam` and
 * then read three ways, in rotating order: the native `GET /api/v1/search/{id}/events` (bearer),
 * `GET /api/v1/spot/beam/{id}` with the explorer session cookie (as the explorer's EventSource) and
 * with a bearer token. Measured: request sent until its first event arrived.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const WARMUP = 5;
const TARGET_MS = 10;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;
const row = (name: string, xs: number[]) =>
  `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;

/** Milliseconds from sending the request to the first complete event of the stream; then it is closed. */
async function firstEvent(url: string, headers: Record<string, string>, event: string): Promise<number> {
  const controller = new AbortController();
  const t0 = performance.now();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const parser = sseParser();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${url}: closed before a ${event} event`);
      if (parser.push(decoder.decode(value, { stream: true })).some((e) => e.event === event)) return performance.now() - t0;
    }
  } finally {
    controller.abort();
  }
}

async function main() {
  const hub = await startTestHub();
  try {
    const nodes = await registerNodes(hub, ['bench-a', 'bench-b']);
    const bearer = { authorization: `Bearer ${await hub.token('researcher')}` };
    const opened = await fetch(`${hub.url}/api/v1/spot/session`, {
      method: 'POST',
      headers: { ...bearer, origin: hub.url, 'content-type': 'application/json' },
      body: '{}',
    });
    if (opened.status !== 201) throw new Error(`opening the explorer session: ${opened.status} ${await opened.text()}`);
    const cookie = { cookie: (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
    const ast = {
      operand: 'OR',
      children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
    };
    const m = {
      postBeam: [] as number[],
      postNative: [] as number[],
      native: [] as number[],
      cookie: [] as number[],
      bearer: [] as number[],
      gap: [] as number[],
    };

    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      // Stay online: the nodes never call in otherwise.
      if (i % 20 === 0) await Promise.all(nodes.map((n) => heartbeat(n)));
      const id = crypto.randomUUID();
      let t0 = performance.now();
      const posted = await fetch(`${hub.url}/api/v1/spot/beam`, {
        method: 'POST',
        headers: { ...cookie, origin: hub.url, 'content-type': 'application/json' },
        body: JSON.stringify({ id, query: lensQuery(ast) }),
      });
      const postBeam = performance.now() - t0;
      if (posted.status !== 201) throw new Error(`POST /beam: ${posted.status} ${await posted.text()}`);
      t0 = performance.now();
      const native = await fetch(`${hub.url}/api/v1/search`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ ast, deadlineSeconds: 10 }),
      });
      const postNative = performance.now() - t0;
      if (native.status !== 202) throw new Error(`POST /search: ${native.status} ${await native.text()}`);
      const [task] = await hub.services.db
        .select({ searchId: spotTasks.searchId })
        .from(spotTasks)
        .where(and(eq(spotTasks.taskId, id)));
      const reads = {
        native: () => firstEvent(`${hub.url}/api/v1/search/${task?.searchId}/events`, bearer, 'view'),
        cookie: () => firstEvent(`${hub.url}/api/v1/spot/beam/${id}`, cookie, 'new_result'),
        bearer: () => firstEvent(`${hub.url}/api/v1/spot/beam/${id}`, bearer, 'new_result'),
      };
      const order = (['native', 'cookie', 'bearer'] as const).map((_, k, all) => all[(k + i) % all.length] as keyof typeof reads);
      const took: Partial<Record<keyof typeof reads, number>> = {};
      for (const which of order) took[which] = await reads[which]();
      if (i < WARMUP) continue;
      m.postBeam.push(postBeam);
      m.postNative.push(postNative);
      m.native.push(took.native ?? Number.NaN);
      m.cookie.push(took.cookie ?? Number.NaN);
      m.bearer.push(took.bearer ?? Number.NaN);
      m.gap.push((took.cookie ?? Number.NaN) - (took.native ?? Number.NaN));
    }
    console.log(
      `\nSpot protocol next to the native stream: ${ROUNDS} searches (+${WARMUP} warm-up), 2 nodes, database: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}\n`,
    );
    console.log('| measurement | n | p50 ms | p95 ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(row('POST /api/v1/spot/beam accepted (session cookie; Lens query decoded)', m.postBeam));
    console.log(row('POST /api/v1/search accepted (bearer), for comparison', m.postNative));
    console.log(row('first `view` event: GET /api/v1/search/{id}/events (bearer)', m.native));
    console.log(row('first `new_result` event: GET /api/v1/spot/beam/{id} (session cookie, as the explorer)', m.cookie));
    console.log(row('first `new_result` event: GET /api/v1/spot/beam/{id} (bearer)', m.bearer));
    console.log(row('**/beam (cookie) minus native, same search**', m.gap));
    console.log(
      `\nload average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
    );
    console.log(
      `target: /beam's first event within ${TARGET_MS} ms of the native stream's (p50 of the difference): ${pct(m.gap, 50) <= TARGET_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
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
