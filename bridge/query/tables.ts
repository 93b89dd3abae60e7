import type Database from 'better-sqlite3';
import type { KeySet } from './keys.ts';

type Db = Database.Database;

/** Tables whose columns follow the key table; they hold nothing the next index run cannot rebuild. */
const DERIVED = ['clinical', 'clinical_unmapped', 'q_studies', 'q_series'] as const;

/**
 * The derived tables' DDL from the key table: `clinical` one row per sheet row (a column per
 * patient-level key), `q_studies` one row per study (patient-level codes and numbers, and the range
 * of its series in `q_series`), `q_series` one row per series (a bit mask per series-level key).
 * Keyed without rowid in the order queries stream them.
 */
function ddl(keys: KeySet): string {
  const sqlType = (kind: 'code' | 'number', stored: 'text' | 'id') => (kind === 'number' ? 'REAL' : stored === 'text' ? 'TEXT' : 'INTEGER');
  const clinicalColumns = keys.patient.filter((k) => k.sheet?.length).map((k) => `${k.column} ${sqlType(k.kind, 'text')}`);
  const studyColumns = keys.patient.map((k) => `${k.column} ${sqlType(k.kind, 'id')}`);
  const seriesColumns = keys.series.map((k) => `${k.column} INTEGER NOT NULL`);
  return `
CREATE TABLE clinical (dataset TEXT NOT NULL, patient_id TEXT NOT NULL, ${[...clinicalColumns, ''].join(', ')}PRIMARY KEY (dataset, patient_id)) WITHOUT ROWID;
CREATE TABLE clinical_unmapped (dataset TEXT NOT NULL, patient_id TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE q_studies (
  dataset INTEGER NOT NULL, patient INTEGER NOT NULL, study INTEGER NOT NULL, series_from INTEGER NOT NULL, series_to INTEGER NOT NULL,
  ${[...studyColumns, ''].join(', ')}PRIMARY KEY (dataset, patient, study)
) WITHOUT ROWID;
CREATE TABLE q_series (series INTEGER PRIMARY KEY, ${seriesColumns.join(', ')});
`;
}

/**
 * Makes the derived tables match the key table. A bridge whose table changed (a new key, a new
 * code) drops and recreates them, and says the index must be built again (`index_stale`); the
 * next index run does that, since `derived_from` is cleared. Files and the noise cache are kept.
 */
export function ensureQueryTables(db: Db, keys: KeySet): void {
  const layout = keys.layout;
  const current = (db.prepare("SELECT value FROM meta WHERE key = 'query_layout'").get() as { value: string } | undefined)?.value;
  if (current === layout) return;
  db.transaction(() => {
    for (const t of DERIVED) db.exec(`DROP TABLE IF EXISTS ${t}`);
    db.exec(ddl(keys));
    const indexed = (db.prepare('SELECT count(*) FROM files').pluck().get() as number) > 0;
    db.prepare("DELETE FROM meta WHERE key IN ('derived_from', 'generation', 'sheet_columns')").run();
    const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run('query_layout', layout);
    if (indexed) set.run('index_stale', '1');
  })();
}

/** Insert statements by column name: the derived tables are never written by position. */
export function insertStatement(db: Db, table: string, columns: readonly string[], verb = 'INSERT') {
  return db.prepare(`${verb} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
}
