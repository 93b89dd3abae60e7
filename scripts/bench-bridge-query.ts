import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildQueryTables } from '../bridge/query/derive.ts';
import { openIndexDb } from '../bridge/index/schema.ts';
import { answerQuery } from '../bridge/query/answer.ts';
import { MEDIATOR_ROUTE, serveMediatorEndpoint } from '../bridge/query/mediator-endpoint.ts';
import { DEFAULT_PRIVACY, Obfuscator } from '../bridge/query/obfuscate.ts';
import { silentLogger } from '../shared/logger.ts';
import { Vocabulary } from '../bridge/query/vocabulary.ts';
import type { QueryNode } from '../shared/query.ts';

/**
 * `npm run bench:bridge-query`: latency of the bridge's query path (SQL + strata + obfuscation) on an
 * index of BENCH_SERIES series (default 1,000,000). The `files` rows are made synthetically in one
 * transaction (one instance per series, 3 series per study, 2 studies per patient, 2 datasets), then
 * the real derivation builds the query table. BENCH_RUNS timed runs per query after one warm-up.
 * The same queries are then posted to the mediator endpoint (what a site's Focus calls) on loopback,
 * as Focus posts them, and timed end to end (HTTP, parsing, evaluation, obfuscation, answer).
 */
const SERIES = Number(process.env.BENCH_SERIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const MODALITIES = ['MR', 'CT', 'PT', 'NM'];
const BODY = ['PROSTATE', 'BREAST', 'CHEST', 'Pelvis^Masculin', 'COLON', 'ABDOMEN'];
const MAKERS = ['SIEMENS', 'GE MEDICAL SYSTEMS', 'Philips', 'TOSHIBA', 'Siemens Healthineers'];
const SEX = ['M', 'F', 'O', ''];
const DX = ['prostate cancer', 'breast cancer', 'lung cancer', 'colon cancer', 'pelvis cancer'];

const leaf = (key: string, type: string, value: unknown) => ({ key, type, value }) as QueryNode;
const lens = (...criteria: QueryNode[]): QueryNode => ({
  operand: 'OR',
  children: [{ operand: 'AND', children: criteria.map((c) => ({ operand: 'OR', children: [c] })) }],
});
const QUERIES: [string, QueryNode][] = [
  ['everything (empty query)', { operand: 'OR', children: [] }],
  ['modality MR', lens(leaf('RID10311', 'EQUALS', 'RID10312'))],
  ['male AND MR', lens(leaf('SNOMEDCT263495000', 'EQUALS', 'SNOMEDCT248153007'), leaf('RID10311', 'EQUALS', 'RID10312'))],
  [
    'prostate cancer, age 40-70, MR or PET',
    lens(
      leaf('SNOMEDCT439401001', 'EQUALS', 'SNOMEDCT399068003'),
      leaf('SNOMEDCT423493009', 'BETWEEN', { min: 40, max: 70 }),
      leaf('RID10311', 'IN', ['RID10312', 'RID10337']),
    ),
  ],
  [
    'female, breast, Siemens, year ≥ 2018',
    lens(
      leaf('SNOMEDCT263495000', 'EQUALS', 'SNOMEDCT248152002'),
      leaf('SNOMEDCT123037004', 'EQUALS', 'SNOMEDCT76752008'),
      leaf('C25392', 'EQUALS', 'birnlex_3066'),
      leaf('SNOMEDCT432213005', 'GREATER_THAN', 2017),
    ),
  ],
  [
    'MR of the prostate (one series both), male',
    lens(
      leaf('RID10311', 'EQUALS', 'RID10312'),
      leaf('SNOMEDCT123037004', 'EQUALS', 'SNOMEDCT41216001'),
      leaf('SNOMEDCT263495000', 'EQUALS', 'SNOMEDCT248153007'),
    ),
  ],
  [
    'NOT PET, XOR of CT and lung',
    {
      operand: 'AND',
      children: [
        { operand: 'NOT', children: [leaf('RID10311', 'EQUALS', 'RID10337')] },
        { operand: 'XOR', children: [leaf('RID10311', 'EQUALS', 'RID10321'), leaf('SNOMEDCT123037004', 'EQUALS', 'SNOMEDCT39607008')] },
      ],
    },
  ],
];

function build(path: string) {
  const db = openIndexDb(path);
  const started = Date.now();
  const insert =
    db.prepare(`INSERT INTO files (path, dataset, size, mtime_ms, reason, sop_uid, patient_id, study_uid, series_uid, modality, body_part, manufacturer, acquisition_date, patient_sex)
    VALUES (?, ?, 1, 1, NULL, ?, ?, ?, ?, ?, ?, ?, '20200101', ?)`);
  const clinical = db.prepare('INSERT INTO clinical (dataset, patient_id, gender, age, diagnosis, year) VALUES (?, ?, NULL, ?, ?, ?)');
  const vocab = new Vocabulary();
  db.transaction(() => {
    for (let s = 0; s < SERIES; s++) {
      const study = Math.floor(s / 3);
      const patient = Math.floor(study / 2);
      const dataset = patient % 2 ? 'collection-2' : 'collection-1';
      const pid = `P${patient}`;
      insert.run(
        `${dataset}/${s}.dcm`,
        dataset,
        `2.25.${s}`,
        pid,
        `2.25.s${study}`,
        `2.25.r${s}`,
        MODALITIES[(s * 7) % 4],
        BODY[(patient + (s % 2)) % 6],
        MAKERS[(s * 13) % 5],
        SEX[patient % 4],
      );
      if (s % 6 === 0 && patient % 10 !== 0) {
        const dx = DX[patient % 5] as string;
        clinical.run(dataset, pid, 30 + (patient % 60), vocab.code('SNOMEDCT439401001', dx) ?? null, 2010 + (patient % 14));
      }
    }
  })();
  const inserted = Date.now();
  db.transaction(() =>
    rebuildQueryTables(
      db,
      [
        { folder: 'collection-1', id: 'c1', name: 'One' },
        { folder: 'collection-2', id: 'c2', name: 'Two' },
      ],
      vocab,
    ),
  )();
  db.exec('ANALYZE');
  console.error(
    `index built: rows inserted in ${((inserted - started) / 1000).toFixed(1)} s, query tables derived in ${((Date.now() - inserted) / 1000).toFixed(1)} s`,
  );
  return db;
}

function percentiles(times: number[]): { p50: string; p95: string; max: string } {
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] as number).toFixed(1);
  return { p50: at(0.5), p95: at(0.95), max: (times.at(-1) as number).toFixed(1) };
}

async function timed(run: () => unknown | Promise<unknown>): Promise<ReturnType<typeof percentiles>> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return percentiles(times);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-query-'));
  try {
    const db = build(join(dir, 'index.sqlite'));
    const studies = (db.prepare('SELECT count(*) AS n FROM q_studies').get() as { n: number }).n;
    const obf = new Obfuscator(DEFAULT_PRIVACY, db);
    const rows: string[] = [];
    // The first query after an indexing run loads the query tables into memory columns.
    const t0 = process.hrtime.bigint();
    answerQuery(db, QUERIES[0]?.[1] as QueryNode, obf);
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    for (const [name, query] of QUERIES) {
      const first = answerQuery(db, query, obf);
      const p = await timed(() => answerQuery(db, query, obf));
      const total = first.status === 'answered' ? first.result.total.studies_count : first.status;
      rows.push(`| ${name} | ${total} | ${p.p50} | ${p.p95} | ${p.max} |`);
    }
    const secret = 'bench-secret-0123456789';
    const endpoint = await serveMediatorEndpoint(
      { host: '127.0.0.1', port: 0, secret },
      (q) => answerQuery(db, q, obf, 'no-match'),
      silentLogger,
    );
    const http: string[] = [];
    for (const [name, query] of QUERIES) {
      // Pretty-printed, as Focus posts it.
      const body = JSON.stringify({ ast: query, id: 'bench__search__bench' }, null, 2);
      const post = () =>
        fetch(`${endpoint.url}${MEDIATOR_ROUTE}`, {
          method: 'POST',
          headers: { authorization: `Secret ${secret}`, 'content-type': 'application/json' },
          body,
        }).then((r) => r.json() as Promise<{ collections: unknown[] }>);
      const datasets = (await post()).collections.length;
      const p = await timed(post);
      http.push(`| ${name} | ${datasets} | ${p.p50} | ${p.p95} | ${p.max} |`);
    }
    await endpoint.close();
    console.log(
      `\n${SERIES} series, ${studies} studies, ${RUNS} runs per query (${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end)\n`,
    );
    console.log('Count answer from the index (hub jobs, `query` command):\n');
    console.log('| query | studies (obfuscated) | p50 ms | p95 ms | max ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows) console.log(r);
    console.log('\nMediator endpoint, a Focus-shaped POST over loopback HTTP, end to end:\n');
    console.log('| query | datasets in the answer | p50 ms | p95 ms | max ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of http) console.log(r);
    console.log(`\nfirst query after (re-)indexing, including loading ${studies} studies into memory columns: ${loadMs.toFixed(0)} ms`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
