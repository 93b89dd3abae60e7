import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataCommand } from '../data-commands.ts';
import { generateDemo } from '../demo/generate.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { Vocabulary } from '../query/vocabulary.ts';
import { indexDataDir } from './indexer.ts';
import { SCHEMA_VERSION, getMeta, openIndexDb } from './schema.ts';

/** The index file as bridges wrote it before the schema had a version (fixed query columns). */
const VERSION_1 = `
CREATE TABLE files (path TEXT PRIMARY KEY, dataset TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, reason TEXT,
  sop_uid TEXT, patient_id TEXT, study_uid TEXT, series_uid TEXT, modality TEXT, body_part TEXT, manufacturer TEXT, acquisition_date TEXT, patient_sex TEXT);
CREATE TABLE clinical (dataset TEXT NOT NULL, patient_id TEXT NOT NULL, gender TEXT, age REAL, diagnosis TEXT, year INTEGER, PRIMARY KEY (dataset, patient_id)) WITHOUT ROWID;
CREATE TABLE clinical_unmapped (dataset TEXT NOT NULL, patient_id TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE q_datasets (idx INTEGER PRIMARY KEY, folder TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT);
CREATE TABLE q_studies (dataset INTEGER NOT NULL, patient INTEGER NOT NULL, study INTEGER NOT NULL, gender INTEGER NOT NULL, age REAL, diagnosis INTEGER,
  year INTEGER, modalities INTEGER NOT NULL, body_parts INTEGER NOT NULL, manufacturers INTEGER NOT NULL, PRIMARY KEY (dataset, patient, study)) WITHOUT ROWID;
CREATE TABLE noise (sensitivity REAL NOT NULL, true_count INTEGER NOT NULL, stratum TEXT NOT NULL, noise REAL NOT NULL, PRIMARY KEY (sensitivity, true_count, stratum)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO files (path, dataset, size, mtime_ms, patient_id, study_uid, series_uid, modality) VALUES ('a/1.dcm', 'a', 1, 1, 'P1', '1', '1', 'MR');
INSERT INTO q_studies VALUES (0, 0, 0, 0, 50, 1, 2019, 1, 0, 0);
INSERT INTO noise VALUES (1, 12, 'total:studies', 3.5);
INSERT INTO meta VALUES ('derived_from', 'x');
`;

describe('the index schema version', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir?.remove());

  it('migrates a file from before versioning on open: files and noise kept, query tables rebuilt, the index marked stale', async () => {
    const path = join(dir.path, 'old.sqlite');
    const old = new Database(path);
    old.exec(VERSION_1);
    old.close();
    const db = openIndexDb(path);
    expect(getMeta(db, 'schema_version')).toBe(String(SCHEMA_VERSION));
    expect(db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(1);
    expect(db.prepare('SELECT noise FROM noise').pluck().get()).toBe(3.5);
    const columns = (db.prepare('SELECT * FROM q_studies').columns() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['series_from', 'series_to', 'gender', 'age']));
    expect(columns).not.toContain('modalities');
    expect(getMeta(db, 'index_stale')).toBe('1');
    expect(getMeta(db, 'derived_from')).toBeUndefined();
    db.close();
    // The query command will not answer from it until it is indexed again.
    const out: string[] = [];
    const ast = join(dir.path, 'q.json');
    await writeFile(ast, '{"operand":"OR","children":[]}');
    await expect(dataCommand('query', { db: path, ast }, { env: {}, out: (l) => out.push(l) })).rejects.toThrow(/run `index` again/);
  });

  it('clears the mark when the data is indexed again', async () => {
    const data = join(dir.path, 'data');
    await generateDemo({ dataDir: data, seed: 'schema-test' });
    const db = openIndexDb(join(dir.path, 'old.sqlite'));
    await indexDataDir(db, data, new Vocabulary());
    expect(getMeta(db, 'index_stale')).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM q_series').pluck().get()).toBeGreaterThan(0);
    db.close();
  });

  it('refuses a file written by a newer bridge', () => {
    const path = join(dir.path, 'newer.sqlite');
    const db = openIndexDb(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1));
    db.close();
    expect(() => openIndexDb(path)).toThrow(/newer bridge/);
  });

  it('opens a current file without touching its tables', () => {
    const path = join(dir.path, 'newer2.sqlite');
    openIndexDb(path).close();
    const db = openIndexDb(path);
    expect(getMeta(db, 'index_stale')).toBeUndefined();
    db.close();
  });
});
