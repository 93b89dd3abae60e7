import { type Db, getMeta, keysOf } from '../index/schema.ts';
import type { KeySet } from './keys.ts';

/**
 * `q_studies` and `q_series` as columns in memory, studies in (dataset, patient) order. A count
 * query over a million series has to look at every study; a tight loop over typed arrays does that
 * in milliseconds where a SQL aggregate with per-code sums takes hundreds. SQLite stays the store
 * and the source of truth: the snapshot is rebuilt from it whenever an indexing run changed the
 * query tables. Every column is found by the key table's name for it.
 */
export interface Snapshot {
  generation: string;
  keys: KeySet;
  /** Studies, subjects (patient ordinals are below this) and series. */
  n: number;
  patients: number;
  seriesCount: number;
  dataset: Uint16Array;
  patient: Int32Array;
  /** The study's series are `seriesFrom[i] .. seriesTo[i] - 1` of the series columns. */
  seriesFrom: Int32Array;
  seriesTo: Int32Array;
  /** Per patient-level coded key: the code's position, or the key's "no value" position (-1 if it has none). */
  codes: Record<string, Int16Array>;
  /** Per patient-level number key; NaN when there is no value. */
  numbers: Record<string, Float64Array>;
  /** Per series-level key, per series: the bits of its codes. */
  masks: Record<string, Uint32Array>;
  /** Per series-level key, per study: the union of its series' bits. */
  union: Record<string, Uint32Array>;
  /** Sheet columns some dataset has: with the always-known keys, what this node can evaluate. */
  sheetColumns: ReadonlySet<string>;
}

const cache = new WeakMap<Db, Snapshot>();

export function snapshotOf(db: Db): Snapshot {
  const generation = getMeta(db, 'generation') ?? '';
  const cached = cache.get(db);
  if (cached && cached.generation === generation) return cached;
  const keys = keysOf(db);
  const n = (db.prepare('SELECT count(*) FROM q_studies').pluck().get() as number) ?? 0;
  const seriesCount = (db.prepare('SELECT count(*) FROM q_series').pluck().get() as number) ?? 0;
  const s: Snapshot = {
    generation,
    keys,
    n,
    patients: 0,
    seriesCount,
    dataset: new Uint16Array(n),
    patient: new Int32Array(n),
    seriesFrom: new Int32Array(n),
    seriesTo: new Int32Array(n),
    codes: Object.fromEntries(keys.patient.filter((k) => k.kind === 'code').map((k) => [k.column, new Int16Array(n)])),
    numbers: Object.fromEntries(keys.patient.filter((k) => k.kind === 'number').map((k) => [k.column, new Float64Array(n)])),
    masks: Object.fromEntries(keys.series.map((k) => [k.column, new Uint32Array(seriesCount)])),
    union: Object.fromEntries(keys.series.map((k) => [k.column, new Uint32Array(n)])),
    sheetColumns: new Set(JSON.parse(getMeta(db, 'sheet_columns') ?? '[]') as string[]),
  };
  const studies = db.prepare('SELECT * FROM q_studies ORDER BY dataset, patient, study').raw();
  const at = new Map(studies.columns().map((c, i) => [c.name, i]));
  const col = (name: string) => at.get(name) as number;
  const [cDataset, cPatient, cFrom, cTo] = [col('dataset'), col('patient'), col('series_from'), col('series_to')];
  const codeCols = keys.patient
    .filter((k) => k.kind === 'code')
    .map((k) => [s.codes[k.column] as Int16Array, col(k.column), k.noValue ?? -1] as const);
  const numberCols = keys.patient
    .filter((k) => k.kind === 'number')
    .map((k) => [s.numbers[k.column] as Float64Array, col(k.column)] as const);
  let i = 0;
  for (const r of studies.iterate() as Iterable<(number | null)[]>) {
    s.dataset[i] = r[cDataset] as number;
    const p = r[cPatient] as number;
    s.patient[i] = p;
    s.seriesFrom[i] = r[cFrom] as number;
    s.seriesTo[i] = r[cTo] as number;
    for (const [arr, c, none] of codeCols) arr[i] = r[c] ?? none;
    for (const [arr, c] of numberCols) arr[i] = r[c] ?? Number.NaN;
    if (p + 1 > s.patients) s.patients = p + 1;
    i++;
  }
  const series = db.prepare('SELECT * FROM q_series ORDER BY series').raw();
  const sat = new Map(series.columns().map((c, k) => [c.name, k]));
  const maskCols = keys.series.map((k) => [s.masks[k.column] as Uint32Array, sat.get(k.column) as number] as const);
  let j = 0;
  for (const r of series.iterate() as Iterable<number[]>) {
    for (const [arr, c] of maskCols) arr[j] = r[c] as number;
    j++;
  }
  for (const k of keys.series) {
    const masks = s.masks[k.column] as Uint32Array;
    const union = s.union[k.column] as Uint32Array;
    for (let x = 0; x < n; x++) {
      let m = 0;
      for (let y = s.seriesFrom[x] as number; y < (s.seriesTo[x] as number); y++) m |= masks[y] as number;
      union[x] = m >>> 0;
    }
  }
  cache.set(db, s);
  return s;
}
