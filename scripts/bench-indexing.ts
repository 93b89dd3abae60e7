import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImage } from '../bridge/demo/dicom-writer.ts';
import { readDicomHead } from '../bridge/index/dicom-head.ts';
import { indexDataDir } from '../bridge/index/indexer.ts';
import { openIndexDb } from '../bridge/index/schema.ts';
import { Vocabulary } from '../bridge/query/vocabulary.ts';

/**
 * `npm run bench:indexing`: header-indexing throughput of the bridge's reader against pydicom
 * (`dcmread(stop_before_pixels=True)`), dcmtk `dcmdump` and a bare open+read of the same head bytes,
 * on a generated corpus of 512x512 16-bit images written (sparse) to a temp dir and deleted afterwards.
 * BENCH_FILES sets the corpus size (default 20000, 10 GB apparent size); it is a benchmark, not a test.
 */
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const DCMDUMP_BATCH = 1000;
const HEAD_BYTES = 8192;
const PYTHON = '/usr/bin/python3';
const PIXEL_BYTES = 512 * 512 * 2;

function makeCorpus(dir: string): string[] {
  const paths: string[] = [];
  const modalities = ['MR', 'CT', 'PT', 'NM'] as const;
  for (let i = 0; i < FILES; i++) {
    const p = Math.floor(i / 60);
    const folder = join(dir, 'data', 'bench', `P${p}`, `S${Math.floor((i % 60) / 20)}`);
    if (i % 20 === 0) mkdirSync(folder, { recursive: true });
    const path = join(folder, `${i}.dcm`);
    const bytes = writeImage({
      sopInstanceUid: `2.25.${1000000 + i}`,
      studyDate: '20200101',
      acquisitionDate: '20200101',
      modality: modalities[p % 4] as (typeof modalities)[number],
      manufacturer: 'SIEMENS',
      patientId: `P${p}`,
      patientSex: p % 2 ? 'M' : 'F',
      patientAge: '060Y',
      bodyPart: 'PROSTATE',
      studyUid: `2.25.${p}.${Math.floor((i % 60) / 20)}`,
      seriesUid: `2.25.${p}.${Math.floor((i % 60) / 20)}.1`,
      size: 512,
    });
    // Written sparse: the pixel bytes (zeros) take no disk writes, so building 10 GB of images stays
    // quick; every reader still sees a full-size file with a 512 KiB Pixel Data element.
    writeFileSync(path, bytes.subarray(0, bytes.length - PIXEL_BYTES));
    truncateSync(path, bytes.length);
    paths.push(path);
  }
  return paths;
}

function timed(name: string, run: () => unknown): { name: string; seconds: number } {
  const started = process.hrtime.bigint();
  const inner = run();
  const seconds = typeof inner === 'number' ? inner : Number(process.hrtime.bigint() - started) / 1e9;
  return { name, seconds };
}

function bareRead(paths: string[]): void {
  const buf = Buffer.allocUnsafe(HEAD_BYTES);
  for (const p of paths) {
    const fd = openSync(p, 'r');
    readSync(fd, buf, 0, HEAD_BYTES, 0);
    closeSync(fd);
  }
}

/** The whole first indexing run: walk, stat, head reads, SQLite rows, query-table derivation. */
async function bridgeIndexer(dir: string): Promise<number> {
  const db = openIndexDb(join(dir, 'index.sqlite'));
  const started = process.hrtime.bigint();
  const summary = await indexDataDir(db, join(dir, 'data'), new Vocabulary());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  if (summary.instances !== FILES) throw new Error(`indexed ${summary.instances} of ${FILES}`);
  return seconds;
}

function bridgeReader(paths: string[]): void {
  let bad = 0;
  for (const p of paths) if (!readDicomHead(p).ok) bad++;
  if (bad > 0) throw new Error(`${bad} files not read`);
}

/** Timed inside Python, so interpreter start-up is not counted against pydicom. */
function pydicom(listFile: string): number {
  const script = `
import sys, time
from pydicom import dcmread
paths = open(sys.argv[1]).read().split("\\n")
t = time.perf_counter()
for p in paths:
    d = dcmread(p, stop_before_pixels=True)
    (d.PatientID, d.Modality, d.BodyPartExamined, d.Manufacturer, d.AcquisitionDate, d.StudyInstanceUID, d.SeriesInstanceUID)
print(time.perf_counter() - t)
`;
  const res = spawnSync(PYTHON, ['-c', script, listFile], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`pydicom failed: ${res.stderr}`);
  return Number(res.stdout.trim());
}

/** dcmdump over batches of files per process, so process start-up is amortised over the batch. */
function dcmdump(paths: string[]): void {
  const tags = ['0010,0020', '0008,0060', '0018,0015', '0008,0070', '0008,0022', '0020,000d', '0020,000e'].flatMap((t) => ['+P', t]);
  for (let i = 0; i < paths.length; i += DCMDUMP_BATCH) {
    const res = spawnSync('dcmdump', ['-q', '-M', '+sb', '7fe0,0010', ...tags, ...paths.slice(i, i + DCMDUMP_BATCH)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (res.status !== 0) throw new Error(`dcmdump failed: ${res.stderr.slice(0, 300)}`);
  }
}

/** The peers run side by side in the same run: without them there is no comparison to print. */
function peersMissing(): string[] {
  const missing: string[] = [];
  if (spawnSync('dcmdump', ['--version']).error) missing.push('dcmtk (dcmdump)');
  if (spawnSync(PYTHON, ['-c', 'import pydicom']).status !== 0) missing.push('python3-pydicom');
  return missing;
}

async function main() {
  const missing = peersMissing();
  if (missing.length) {
    console.error(`bench:indexing compares with ${missing.join(' and ')}: apt-get install -y dcmtk python3-pydicom`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-indexing-'));
  try {
    const t0 = Date.now();
    const paths = makeCorpus(dir);
    const listFile = join(dir, 'files.txt');
    writeFileSync(listFile, paths.join('\n'));
    console.error(`corpus: ${FILES} files written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // One untimed pass so every tool meets the same warm page cache.
    bareRead(paths);
    const rows = [
      timed('bare open+read of 8 KiB, no parsing', () => bareRead(paths)),
      timed('bridge reader (own head scan, dicom-parser fallback)', () => bridgeReader(paths)),
      timed('pydicom dcmread(stop_before_pixels=True)', () => pydicom(listFile)),
      timed(`dcmtk dcmdump -M +sb PixelData, ${DCMDUMP_BATCH} files per process`, () => dcmdump(paths)),
    ];
    const indexerSeconds = await bridgeIndexer(dir);
    rows.push({ name: 'bridge indexer, whole first run (walk, stat, read, SQLite, derive)', seconds: indexerSeconds });
    const rate = (r: { seconds: number }) => FILES / r.seconds;
    const [bare, ours, py, dcmtk] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    console.log(
      `\n${FILES} files of 512x512 16-bit pixels (${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end)\n`,
    );
    console.log('| reader | seconds | files/s | bridge reader is |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.name} | ${r.seconds.toFixed(2)} | ${Math.round(rate(r))} | ${r === ours ? '—' : `${(rate(ours) / rate(r)).toFixed(2)}× its speed`} |`,
      );
    console.log(
      `\ntargets: ≥ 10× pydicom → ${(rate(ours) / rate(py)).toFixed(1)}×; within 5× of bare read → ${(rate(bare) / rate(ours)).toFixed(1)}× slower; dcmdump ${(rate(ours) / rate(dcmtk)).toFixed(1)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
