import type { DatasetFolder } from '../dataset.ts';
import { type Db, getMeta, keysOf, setMeta } from '../index/schema.ts';
import type { QueryKey } from './keys.ts';
import { insertStatement } from './tables.ts';
import type { Vocabulary } from './vocabulary.ts';

interface SeriesAcc {
  masks: number[];
}

interface StudyAcc {
  dataset: string;
  patient: number;
  patientId: string;
  series: Map<string, SeriesAcc>;
}

/** The bits of the codes a header text names; an empty header is the key's "no value" code. */
function maskOf(vocab: Vocabulary, key: QueryKey, text: string | null): number {
  let m = 0;
  for (const code of vocab.codes(key.key, text ?? '')) {
    const at = vocab.keys.position(key, code);
    if (at !== undefined) m |= 1 << at;
  }
  return m >>> 0;
}

/**
 * Rebuilds `q_datasets`, `q_studies` and `q_series` from `files` and `clinical`, by the key table.
 * A study's patient-level values come from the patient's clinical row (a key with a DICOM fallback,
 * gender, takes the patient's PatientSex when the row has none); each series gets, per series-level
 * key, the bits of the codes its header names, and the study the range of its series, so a query can
 * ask for one series that satisfies several criteria. Clinical rows without images produce no
 * study, so they count for nothing.
 */
export function rebuildQueryTables(db: Db, datasets: DatasetFolder[], vocab: Vocabulary): void {
  const keys = keysOf(db);
  db.exec('DELETE FROM q_datasets; DELETE FROM q_studies; DELETE FROM q_series');
  const addDataset = db.prepare('INSERT INTO q_datasets (idx, folder, id, name, description) VALUES (?, ?, ?, ?, ?)');
  for (const [i, d] of datasets.entries()) addDataset.run(i, d.folder, d.id, d.name, d.description ?? null);
  const datasetIdx = new Map(datasets.map((d, i) => [d.folder, i]));
  const clinical = new Map<string, Record<string, string | number | null>>();
  for (const r of db.prepare('SELECT * FROM clinical').iterate() as Iterable<Record<string, string | number | null>>)
    clinical.set(`${r.dataset}\u0000${r.patient_id}`, r);

  const fields = ['dataset', 'patient_id', 'study_uid', 'series_uid', 'patient_sex', ...new Set(keys.series.map((k) => k.dicom as string))];
  const patientIds = new Map<string, number>();
  const studies = new Map<string, StudyAcc>();
  const dicomSex = new Map<string, string>();
  const rows = db.prepare(`SELECT ${fields.join(', ')} FROM files WHERE reason IS NULL`).iterate() as Iterable<
    Record<string, string | null>
  >;
  for (const f of rows) {
    const dataset = f.dataset as string;
    const patientId = f.patient_id as string;
    const studyKey = `${dataset}\u0000${f.study_uid}`;
    let s = studies.get(studyKey);
    if (!s) {
      let patient = patientIds.get(patientId);
      if (patient === undefined) {
        patient = patientIds.size;
        patientIds.set(patientId, patient);
      }
      s = { dataset, patient, patientId, series: new Map() };
      studies.set(studyKey, s);
    }
    let series = s.series.get(f.series_uid as string);
    if (!series) {
      series = { masks: keys.series.map(() => 0) };
      s.series.set(f.series_uid as string, series);
    }
    // The instances of one series normally agree; where they do not, the series holds every code.
    for (const [i, k] of keys.series.entries())
      series.masks[i] = ((series.masks[i] as number) | maskOf(vocab, k, f[k.dicom as string] ?? null)) >>> 0;
    const pk = `${dataset}\u0000${patientId}`;
    if (f.patient_sex && !dicomSex.has(pk)) dicomSex.set(pk, f.patient_sex);
  }

  // Keys no sheet has a column for stay NULL: neither written here nor read by snapshots.
  const sheetColumns = new Set(JSON.parse(getMeta(db, 'sheet_columns') ?? '[]') as string[]);
  const patientKeys = keys.patient.filter((k) => keys.present(sheetColumns).includes(k));
  const studyColumns = ['dataset', 'patient', 'study', 'series_from', 'series_to', ...patientKeys.map((k) => k.column)];
  const addStudy = insertStatement(db, 'q_studies', studyColumns);
  const addSeries = insertStatement(db, 'q_series', ['series', ...keys.series.map((k) => k.column)]);
  let n = 0;
  let seriesCount = 0;
  for (const s of studies.values()) {
    const pk = `${s.dataset}\u0000${s.patientId}`;
    const row = clinical.get(pk);
    const study: Record<string, number | null> = {
      dataset: datasetIdx.get(s.dataset) ?? 0,
      patient: s.patient,
      study: n++,
      series_from: seriesCount,
      series_to: seriesCount + s.series.size,
    };
    for (const k of patientKeys) {
      const stored = row?.[k.column] ?? null;
      if (k.kind === 'number') study[k.column] = typeof stored === 'number' ? stored : null;
      else {
        const code = stored ?? (k.dicom && dicomSex.has(pk) ? vocab.code(k.key, dicomSex.get(pk) as string) : undefined);
        study[k.column] = code === undefined || code === null ? null : (keys.position(k, code) ?? null);
      }
    }
    addStudy.run(study);
    for (const series of s.series.values()) {
      const values: Record<string, number> = { series: seriesCount++ };
      for (const [i, k] of keys.series.entries()) values[k.column] = series.masks[i] as number;
      addSeries.run(values);
    }
  }
  // Tells query snapshots (query/snapshot.ts) that the query tables changed.
  setMeta(db, 'generation', `${Date.now()}-${n}-${Math.random()}`);
  if (getMeta(db, 'index_stale')) db.prepare("DELETE FROM meta WHERE key = 'index_stale'").run();
}
