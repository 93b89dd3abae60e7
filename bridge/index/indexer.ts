import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadDatasets } from '../dataset.ts';
import { describeError } from '../logger.ts';
import { type ClinicalSheet, readClinical } from '../query/clinical.ts';
import { rebuildQueryTables } from '../query/derive.ts';
import { insertStatement } from '../query/tables.ts';
import type { Vocabulary } from '../query/vocabulary.ts';
import { type HeadOptions, readDicomHead } from './dicom-head.ts';
import { type Db, getMeta, setMeta } from './schema.ts';

/** Files at the top of a dataset folder that are ours, not DICOM, and so never "bad files". */
const NON_IMAGE_FILES = new Set(['clinical.csv', 'clinical.xlsx']);
/** Files read between two yields to the event loop, so a running bridge keeps answering jobs. */
const BATCH = 500;

export interface IndexRunSummary {
  /** Files whose header was read in this run (new or changed). */
  filesRead: number;
  filesUnchanged: number;
  filesDeleted: number;
  instances: number;
  series: number;
  studies: number;
  subjects: number;
  datasets: number;
  skipped: { path: string; reason: string }[];
  ms: number;
}

interface FileEntry {
  path: string;
  dataset: string;
  size: number;
  mtimeMs: number;
}

function walk(dataDir: string, folder: string, out: FileEntry[]): void {
  const root = join(dataDir, folder);
  const visit = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      // Hidden files are editor and OS litter; symlinks are not followed so the walk stays inside the data path.
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile() && !(rel === '' && NON_IMAGE_FILES.has(entry.name))) {
        const st = statSync(join(root, child));
        out.push({ path: `${folder}/${child}`, dataset: folder, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
      }
    }
  };
  visit('');
}

/**
 * Brings the index up to date with the data path: reads the head of new or changed files only
 * (size + mtime), drops rows of deleted files, reloads the clinical sheets and rebuilds the query
 * tables. A file that cannot be read is recorded with its reason; it never stops the run.
 */
export async function indexDataDir(db: Db, dataDir: string, vocab: Vocabulary, opts: HeadOptions = {}): Promise<IndexRunSummary> {
  const started = Date.now();
  const datasets = await loadDatasets(dataDir);
  const found: FileEntry[] = [];
  for (const d of datasets) walk(dataDir, d.folder, found);
  const known = new Map<string, { size: number; mtime: number }>();
  for (const r of db.prepare('SELECT path, size, mtime_ms AS mtime FROM files').iterate() as Iterable<{
    path: string;
    size: number;
    mtime: number;
  }>)
    known.set(r.path, { size: r.size, mtime: r.mtime });

  const upsert =
    db.prepare(`INSERT OR REPLACE INTO files (path, dataset, size, mtime_ms, reason, sop_uid, patient_id, study_uid, series_uid,
    modality, body_part, manufacturer, acquisition_date, patient_sex) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const changed = found.filter((f) => {
    const k = known.get(f.path);
    known.delete(f.path);
    return !k || k.size !== f.size || k.mtime !== f.mtimeMs;
  });
  const writeBatch = db.transaction((rows: unknown[][]) => {
    for (const r of rows) upsert.run(...r);
  });
  for (let i = 0; i < changed.length; i += BATCH) {
    const rows = changed.slice(i, i + BATCH).map((f) => {
      const head = readDicomHead(join(dataDir, f.path), { ...opts, size: f.size });
      const base = [f.path, f.dataset, f.size, f.mtimeMs];
      if (!head.ok) return [...base, head.reason, null, null, null, null, null, null, null, null, null];
      const h = head.fields;
      return [
        ...base,
        null,
        h.sopInstanceUid,
        h.patientId,
        h.studyUid,
        h.seriesUid,
        h.modality,
        h.bodyPart,
        h.manufacturer,
        h.acquisitionDate,
        h.patientSex,
      ];
    });
    writeBatch(rows);
    await new Promise((r) => setImmediate(r));
  }
  // What is left in `known` was not found on disk this time: deleted (or its dataset folder renamed).
  const drop = db.prepare('DELETE FROM files WHERE path = ?');
  db.transaction(() => {
    for (const path of known.keys()) drop.run(path);
  })();

  // A sheet that cannot be read costs its rows, not the run; it is listed with the skipped files.
  const sheetProblems: { path: string; reason: string }[] = [];
  const clinical = await Promise.all(
    datasets.map(async (d): Promise<{ d: (typeof datasets)[number] } & ClinicalSheet> => {
      try {
        return { d, ...(await readClinical(join(dataDir, d.folder), vocab)) };
      } catch (err) {
        sheetProblems.push({ path: `${d.folder}/clinical sheet`, reason: `unreadable clinical sheet: ${describeError(err)}` });
        return { d, rows: [], columns: [] };
      }
    }),
  );
  const fingerprint = JSON.stringify({ datasets, clinical: clinical.map((c) => [c.d.folder, c.rows]), vocab: vocab.fingerprint });
  if (changed.length > 0 || known.size > 0 || getMeta(db, 'derived_from') !== fingerprint) {
    const columns = vocab.keys.patient.filter((k) => k.sheet?.length).map((k) => k.column);
    db.transaction(() => {
      db.exec('DELETE FROM clinical; DELETE FROM clinical_unmapped');
      const addRow = insertStatement(db, 'clinical', ['dataset', 'patient_id', ...columns], 'INSERT OR REPLACE');
      const addUnmapped = db.prepare('INSERT INTO clinical_unmapped (dataset, patient_id, col, value) VALUES (?, ?, ?, ?)');
      for (const { d, rows } of clinical)
        for (const r of rows) {
          addRow.run({ dataset: d.folder, patient_id: r.patientId, ...Object.fromEntries(columns.map((c) => [c, r.values[c] ?? null])) });
          for (const u of r.unmapped) addUnmapped.run(d.folder, r.patientId, u.column, u.value);
        }
      // Which keys some sheet has a column for: a key no sheet has is not one this node can answer.
      setMeta(db, 'sheet_columns', JSON.stringify([...new Set(clinical.flatMap((c) => c.columns))].sort()));
      rebuildQueryTables(db, datasets, vocab);
      setMeta(db, 'derived_from', fingerprint);
    })();
  }
  const counts = db
    .prepare(
      `SELECT count(DISTINCT sop_uid) AS instances, count(DISTINCT dataset || '/' || series_uid) AS series FROM files WHERE reason IS NULL`,
    )
    .get() as { instances: number; series: number };
  const q = db.prepare('SELECT count(*) AS studies, count(DISTINCT patient) AS subjects FROM q_studies').get() as {
    studies: number;
    subjects: number;
  };
  return {
    filesRead: changed.length,
    filesUnchanged: found.length - changed.length,
    filesDeleted: known.size,
    ...counts,
    ...q,
    datasets: datasets.length,
    skipped: [
      ...sheetProblems,
      ...(db.prepare('SELECT path, reason FROM files WHERE reason IS NOT NULL ORDER BY path').all() as { path: string; reason: string }[]),
    ],
    ms: Date.now() - started,
  };
}
