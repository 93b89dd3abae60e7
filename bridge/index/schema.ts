import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The bridge's SQLite index. `files` holds one row per file under the data path (an instance, or a
 * bad file with its reason); `clinical` the rows of the clinical sheets; `q_studies` is derived from
 * both after each indexing run and is the only table queries read: one row per study with the
 * patient-level codes and, per series-level key, a bit mask of the codes any of its series carries.
 * Keyed (dataset, patient, study) without rowid, so per-patient grouping streams in key order.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  dataset TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  reason TEXT,
  sop_uid TEXT, patient_id TEXT, study_uid TEXT, series_uid TEXT,
  modality TEXT, body_part TEXT, manufacturer TEXT, acquisition_date TEXT, patient_sex TEXT
);
CREATE INDEX IF NOT EXISTS files_by_study ON files (dataset, patient_id, study_uid, series_uid) WHERE reason IS NULL;
CREATE TABLE IF NOT EXISTS clinical (
  dataset TEXT NOT NULL, patient_id TEXT NOT NULL,
  gender TEXT, age REAL, diagnosis TEXT, year INTEGER,
  PRIMARY KEY (dataset, patient_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clinical_unmapped (dataset TEXT NOT NULL, patient_id TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS q_datasets (idx INTEGER PRIMARY KEY, folder TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS q_studies (
  dataset INTEGER NOT NULL, patient INTEGER NOT NULL, study INTEGER NOT NULL,
  gender INTEGER NOT NULL, age REAL, diagnosis INTEGER, year INTEGER,
  modalities INTEGER NOT NULL, body_parts INTEGER NOT NULL, manufacturers INTEGER NOT NULL,
  PRIMARY KEY (dataset, patient, study)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS noise (
  sensitivity REAL NOT NULL, true_count INTEGER NOT NULL, stratum TEXT NOT NULL, noise REAL NOT NULL,
  PRIMARY KEY (sensitivity, true_count, stratum)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Opens (creating if needed) the index database; WAL so a query never waits for a re-index. */
export function openIndexDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.exec(DDL);
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
