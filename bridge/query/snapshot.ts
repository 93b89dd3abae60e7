import { type Db, getMeta } from '../index/schema.ts';

/**
 * `q_studies` as columns in memory, in (dataset, patient) order. A count query over a million
 * series has to look at every study; a tight loop over typed arrays does that in milliseconds where
 * a SQL aggregate with per-code sums takes hundreds. SQLite stays the store and the source of truth:
 * the snapshot is rebuilt from it whenever an indexing run changed the query tables.
 */
export interface Snapshot {
  generation: string;
  n: number;
  patients: number;
  dataset: Uint16Array;
  patient: Int32Array;
  gender: Uint8Array;
  /** NaN when there is no clinical value. */
  age: Float64Array;
  year: Float64Array;
  /** -1 when there is no clinical diagnosis. */
  diagnosis: Int8Array;
  modalities: Uint32Array;
  bodyParts: Uint32Array;
  manufacturers: Uint32Array;
}

const cache = new WeakMap<Db, Snapshot>();

export function snapshotOf(db: Db): Snapshot {
  const generation = getMeta(db, 'generation') ?? '';
  const cached = cache.get(db);
  if (cached && cached.generation === generation) return cached;
  const n = (db.prepare('SELECT count(*) FROM q_studies').pluck().get() as number) ?? 0;
  const s: Snapshot = {
    generation,
    n,
    patients: 0,
    dataset: new Uint16Array(n),
    patient: new Int32Array(n),
    gender: new Uint8Array(n),
    age: new Float64Array(n),
    year: new Float64Array(n),
    diagnosis: new Int8Array(n),
    modalities: new Uint32Array(n),
    bodyParts: new Uint32Array(n),
    manufacturers: new Uint32Array(n),
  };
  const rows = db
    .prepare(
      'SELECT dataset, patient, gender, age, year, diagnosis, modalities, body_parts, manufacturers FROM q_studies ORDER BY dataset, patient, study',
    )
    .raw()
    .iterate() as Iterable<(number | null)[]>;
  let i = 0;
  for (const r of rows) {
    s.dataset[i] = r[0] as number;
    s.patient[i] = r[1] as number;
    s.gender[i] = r[2] as number;
    s.age[i] = r[3] ?? Number.NaN;
    s.year[i] = r[4] ?? Number.NaN;
    s.diagnosis[i] = r[5] ?? -1;
    s.modalities[i] = r[6] as number;
    s.bodyParts[i] = r[7] as number;
    s.manufacturers[i] = r[8] as number;
    if ((r[1] as number) + 1 > s.patients) s.patients = (r[1] as number) + 1;
    i++;
  }
  cache.set(db, s);
  return s;
}
