import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { catalogueDatasets, catalogueDatasetVersions, catalogueNetworks, catalogueSeries } from '../functions/catalogue/catalogue.sql.ts';
import { indexedColumns } from '../functions/catalogue/record.ts';
import { sampleMetadata } from '../functions/catalogue/sample.ts';
import type { DatasetMetadata, DatasetState } from '../shared/catalogue/profile.ts';
import {
  ACCESS_CONDITIONS,
  BIRTH_SEXES,
  BODY_PARTS,
  CONDITIONS,
  codesOf,
  MANUFACTURERS,
  MODALITIES,
  TIERS,
} from '../shared/catalogue/vocabularies.ts';
import { startTestHub } from '../test/support/hub.ts';

/**
 * `npm run bench:catalogue`: loads 100,000 EUCAIM DCAT-AP v2.0 datasets into a fresh PostgreSQL
 * database (bulk inserts) and measures anonymous browsing through the hub's HTTP route, one request
 * at a time: two filters, two filters sorted and paged, full text with a filter, facet counts, the
 * dashboard, and the FAIR Data Point's catalog at its largest page (500 datasets, Turtle).
 * Needs TEST_DATABASE_URL (a server where it may create and drop a database).
 */
const DATASETS = Number(process.env.BENCH_DATASETS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const FDP_REQUESTS = Number(process.env.BENCH_FDP_REQUESTS ?? 40);
const TARGET_P95_MS = 50;
const FACETS_TARGET_P95_MS = 100;
const BATCH = 2000;

// A seeded generator (mulberry32), so every run loads the same catalogue.
let seed = 0x2f6b_1d3c;
const rand = () => {
  seed = (seed + 0x6d2b_79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const some = (xs: readonly string[], max: number) => [...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(xs)))];
const WORDS = [
  'prostate',
  'breast',
  'lung',
  'colon',
  'rectal',
  'screening',
  'radiomics',
  'follow-up',
  'biopsy',
  'cohort',
  'trial',
  'multiparametric',
  'perfusion',
  'diffusion',
  'segmentation',
  'paediatric',
  'longitudinal',
  'baseline',
  'therapy',
  'response',
  'nodules',
  'metastasis',
  'staging',
  'lesion',
  'dosimetry',
  'contrast',
  'registry',
  'outcome',
  'survival',
  'imaging',
];
const PUBLISHERS = Array.from({ length: 300 }, (_, i) => `Hospital ${i + 1}`);
const SERIES = Array.from({ length: 200 }, (_, i) => `biobank-${i + 1}`);

function metadata(i: number): DatasetMetadata {
  const words = Array.from({ length: 4 }, () => pick(WORDS));
  return sampleMetadata({
    title: `${words.slice(0, 3).join(' ')} ${i}`,
    description: `A ${words.join(' ')} collection of imaging studies with clinical data, number ${i}.`,
    tier: pick(codesOf(TIERS)),
    condition: pick(codesOf(CONDITIONS)),
    modalities: some(codesOf(MODALITIES), 2),
    bodyParts: some(codesOf(BODY_PARTS), 2),
    manufacturers: some(codesOf(MANUFACTURERS), 3),
    birthSex: some(codesOf(BIRTH_SEXES), 2),
    subjects: 10 + Math.floor(rand() * 5000),
    studies: 10 + Math.floor(rand() * 20_000),
    keywords: some(WORDS, 4),
    publisher: { name: pick(PUBLISHERS), email: 'data-access@hospital.example' },
    seriesId: pick(SERIES),
    distributions: [
      {
        accessUrl: 'https://negotiation.eucaim.example/requests/new',
        accessCondition: pick(codesOf(ACCESS_CONDITIONS)),
        applicableLegislation: ['EHDS'],
      },
    ],
  });
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

async function main() {
  if (!process.env.TEST_DATABASE_URL)
    throw new Error('bench:catalogue needs TEST_DATABASE_URL (a PostgreSQL server it may create a database on)');
  const hub = await startTestHub();
  try {
    const db = hub.services.db;
    const t0 = performance.now();
    await db
      .insert(catalogueNetworks)
      .values(
        Array.from({ length: 10 }, (_, i) => ({ id: `network-${i + 1}`, title: `Network ${i + 1}`, description: 'Benchmark network' })),
      );
    await db.insert(catalogueSeries).values(
      SERIES.map((id, i) => ({
        id,
        networkId: `network-${(i % 10) + 1}`,
        title: `Biobank ${i + 1}`,
        description: 'Benchmark biobank',
        publisher: { name: pick(PUBLISHERS) },
      })),
    );
    const now = new Date();
    for (let start = 0; start < DATASETS; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, DATASETS - start) }, (_, k) => {
        const m = metadata(start + k);
        const roll = rand();
        const state: DatasetState = roll < 0.9 ? 'published' : roll < 0.95 ? 'draft' : 'withdrawn';
        const modifiedAt = new Date(now.getTime() - Math.floor(rand() * 3e10));
        return {
          id: crypto.randomUUID(),
          state,
          owner: 'bench',
          nodeId: null,
          sourceId: null,
          sourceModified: null,
          version: 1,
          metadata: m,
          issuedAt: modifiedAt,
          modifiedAt,
          publishedAt: state === 'draft' ? null : modifiedAt,
          withdrawnAt: state === 'withdrawn' ? modifiedAt : null,
          withdrawnReason: state === 'withdrawn' ? 'bench' : null,
          ...indexedColumns(m),
        };
      });
      await db.insert(catalogueDatasets).values(rows);
      await db.insert(catalogueDatasetVersions).values(
        rows.map((r) => ({
          datasetId: r.id,
          version: 1,
          state: r.state,
          metadata: r.metadata,
          change: 'registered',
          changedBy: 'bench',
          changedAt: r.modifiedAt,
        })),
      );
    }
    // As autovacuum would by now: statistics and the visibility map (index-only counts).
    await db.execute(sql`vacuum analyze catalogue_datasets`);
    const loadSeconds = (performance.now() - t0) / 1000;

    const modality = () => pick(codesOf(MODALITIES));
    const bodyPart = () => pick(codesOf(BODY_PARTS));
    const scenarios: [string, () => string][] = [
      ['two filters (modality + body part), first page', () => `modality=${modality()}&bodyPart=${bodyPart()}`],
      [
        'two filters, sorted by subjects, pages 1-5',
        () => `modality=${modality()}&condition=${pick(codesOf(CONDITIONS))}&sort=-subjects&offset=${20 * Math.floor(rand() * 5)}`,
      ],
      ['full text + one filter', () => `q=${pick(WORDS)}&modality=${modality()}`],
      ['two filters + facet counts', () => `modality=${modality()}&bodyPart=${bodyPart()}&facets=true`],
      ['full text + two filters + facet counts', () => `q=${pick(WORDS)}&modality=${modality()}&tier=${pick(codesOf(TIERS))}&facets=true`],
      ['no filter, first page', () => ''],
    ];
    const rows: string[] = [];
    const measure = async (name: string, url: () => string, requests = REQUESTS) => {
      const times: number[] = [];
      for (let i = 0; i < requests + 20; i++) {
        const target = url();
        const start = performance.now();
        const res = await fetch(target);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${target} answered ${res.status}`);
        if (i >= 20) times.push(performance.now() - start); // the first 20 warm the connection and caches
      }
      rows.push(
        `| ${name} | ${times.length} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${pct(times, 99).toFixed(1)} | ${Math.max(...times).toFixed(1)} |`,
      );
      return pct(times, 95);
    };
    const p95s: number[] = [];
    for (const [name, qs] of scenarios) p95s.push(await measure(name, () => `${hub.url}/api/v1/catalogue/datasets?${qs()}`));
    await measure('dashboard figures', () => `${hub.url}/api/v1/catalogue/dashboard`);
    const pages = Math.ceil((DATASETS * 0.9) / 500);
    const fdpP95 = await measure(
      'FDP catalog, a page of 500 datasets (Turtle)',
      () => `${hub.url}/fdp/catalog/eucaim?page=${Math.floor(rand() * pages)}&size=500`,
      FDP_REQUESTS,
    );
    if (process.env.BENCH_EXPLAIN) {
      // The plans behind the figures, for tuning indexes: run with BENCH_EXPLAIN=1.
      const where = sql`state = 'published' and modalities && array['IMG1000038'] and body_parts && array['BP1000113']`;
      for (const q of [
        sql`select id from catalogue_datasets where ${where} order by title, id limit 20`,
        sql`select count(*) from catalogue_datasets where ${where}`,
        sql`select modalities, body_parts, manufacturers, access_conditions, condition, tier, publisher, series_id from catalogue_datasets where ${where}`,
      ]) {
        const plan = await db.execute(sql`explain (analyze, buffers) ${q}`);
        console.log((Array.isArray(plan) ? plan : (plan as { rows: unknown[] }).rows).map((r) => Object.values(r as object)[0]).join('\n'));
      }
    }
    const sample = await (await fetch(`${hub.url}/api/v1/catalogue/datasets?modality=IMG1000038&bodyPart=BP1000113`)).json();
    console.log(
      `\nbench:catalogue — ${DATASETS.toLocaleString('en')} datasets (90% published) loaded in ${loadSeconds.toFixed(1)} s; ${REQUESTS} sequential requests per row through the hub's HTTP route (Node, postgres.js); MR + lung matches ${sample.total.toLocaleString('en')}${sample.totalCapped ? '+' : ''}\n`,
    );
    console.log('| request | n | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|');
    console.log(rows.join('\n'));
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `\ntarget: two-filter browsing p95 < ${TARGET_P95_MS} ms: ${met((p95s[0] ?? Infinity) < TARGET_P95_MS && (p95s[1] ?? Infinity) < TARGET_P95_MS)}`,
    );
    console.log(
      `target: facet counts p95 < ${FACETS_TARGET_P95_MS} ms: ${met((p95s[3] ?? Infinity) < FACETS_TARGET_P95_MS && (p95s[4] ?? Infinity) < FACETS_TARGET_P95_MS)}`,
    );
    console.log(`FDP catalog page of 500: p95 ${fdpP95.toFixed(1)} ms (no target; reported)`);
  } finally {
    await hub.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
