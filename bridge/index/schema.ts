import Database from 'better-sqlite3';
import { DEFAULT_KEYS, type KeySet } from '../query/keys.ts';
import { ensureQueryTables } from '../query/tables.ts';

export type Db = Database.Database;

/**
 * The bridge's SQLite index. `files` holds one row per file under the data path (an instance, or a
 * bad file with its reason); `noise` the obfuscation noise drawn so far; `q_datasets` the datasets
 * of the last index run. Those tables are versioned: `meta.schema_version` says which migrations an
 * existing node's file has had, and opening it applies the rest in order. The tables queries read
 * (`clinical`, `q_studies`, `q_series`) follow the bridge's key table instead (query/tables.ts).
 */
const MIGRATIONS: string[] = [
  // 1: the layout before versioning; on an existing node every statement is a no-op.
  `
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
CREATE TABLE IF NOT EXISTS q_datasets (idx INTEGER PRIMARY KEY, folder TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS noise (
  sensitivity REAL NOT NULL, true_count INTEGER NOT NULL, stratum TEXT NOT NULL, noise REAL NOT NULL,
  PRIMARY KEY (sensitivity, true_count, stratum)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`,
  // 2: the query tables follow the key table from here on; version 1's fixed ones go.
  `
DROP TABLE IF EXISTS q_studies;
DROP TABLE IF EXISTS clinical;
DROP TABLE IF EXISTS clinical_unmapped;
DELETE FROM meta WHERE key IN ('derived_from', 'generation');
`,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

function migrate(db: Db): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const stored = hasMeta ? getMeta(db, 'schema_version') : undefined;
  // A file from before versioning has the version 1 tables; a new file has none.
  const hasFiles = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'files'").get() !== undefined;
  const from = stored !== undefined ? Number(stored) : hasFiles ? 1 : 0;
  if (from > SCHEMA_VERSION)
    throw new Error(`the index was written by a newer bridge (schema ${from}, this bridge knows ${SCHEMA_VERSION})`);
  // A file from before versioning may lack tables version 1 added late (noise, meta): its
  // statements only create what is missing, so they run again on such a file.
  const start = from === 1 ? 0 : from;
  db.transaction(() => {
    for (let v = start; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    setMeta(db, 'schema_version', String(SCHEMA_VERSION));
  })();
}

const keysOfDb = new WeakMap<Db, KeySet>();

/** The key table an index was opened with (query/keys.ts): derivation, snapshots and answers read it. */
export function keysOf(db: Db): KeySet {
  return keysOfDb.get(db) ?? DEFAULT_KEYS;
}

/**
 * Opens (creating if needed) the index database, migrates it and fits its query tables to the key
 * table; WAL so a query never waits for a re-index.
 */
export function openIndexDb(path: string, keys: KeySet = DEFAULT_KEYS): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  migrate(db);
  ensureQueryTables(db, keys);
  keysOfDb.set(db, keys);
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
