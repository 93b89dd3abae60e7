import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageFields, writeImage, writePart10 } from '../demo/dicom-writer.ts';
import { writeXlsx } from '../demo/xlsx-writer.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { Vocabulary } from '../query/vocabulary.ts';
import { indexDataDir } from './indexer.ts';
import { type Db, openIndexDb } from './schema.ts';

const base: ImageFields = {
  sopInstanceUid: '2.25.1',
  studyDate: '20200101',
  acquisitionDate: '20200101',
  modality: 'CT',
  manufacturer: 'SIEMENS',
  patientId: 'P1',
  patientSex: 'M',
  patientAge: '070Y',
  bodyPart: 'CHEST',
  studyUid: '2.25.10',
  seriesUid: '2.25.100',
};
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data';

describe('indexDataDir', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let db: Db;
  const data = () => join(dir.path, 'data');
  const put = async (rel: string, bytes: Uint8Array | string) => {
    await mkdir(join(data(), rel, '..'), { recursive: true });
    await writeFile(join(data(), rel), bytes);
  };

  beforeAll(async () => {
    dir = await tempDir();
    const good = writeImage(base);
    await put('ds1/P1/a.dcm', good);
    await put('ds1/P1/b.dcm', writeImage({ ...base, sopInstanceUid: '2.25.2', seriesUid: '2.25.101', modality: 'PT' }));
    // A second copy of the same instance (an export artefact) must not count twice.
    await put('ds1/P1/a-copy.dcm', good);
    await put(
      'ds1/P2/deflated.dcm',
      writeImage(
        { ...base, sopInstanceUid: '2.25.3', patientId: 'P2', patientSex: 'F', studyUid: '2.25.11', seriesUid: '2.25.102', modality: 'MR' },
        { deflate: true },
      ),
    );
    // Every kind of bad file, next to good ones.
    await put('ds1/P1/empty.dcm', new Uint8Array(0));
    await put('ds1/P1/truncated.dcm', good.subarray(0, 300));
    await put('ds1/P2/notes.txt', 'This is a text file, not DICOM.\n'.repeat(10));
    await put('ds1/P2/tiny.bin', 'short');
    await put(
      'ds1/P2/no-patient.dcm',
      writePart10({
        sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
        sopInstanceUid: '2.25.9',
        elements: [{ tag: 0x00080060, vr: 'CS', value: 'CT' }],
      }),
    );
    const broken = writeImage({ ...base, sopInstanceUid: '2.25.8' }, { deflate: true });
    await put('ds1/P2/bad-deflate.dcm', Buffer.concat([broken.subarray(0, 330), Buffer.alloc(200, 0xff)]));
    await put(
      'ds2/Q1/1.dcm',
      writeImage({ ...base, sopInstanceUid: '2.25.20', patientId: 'Q1', patientSex: '', studyUid: '2.25.30', seriesUid: '2.25.300' }),
    );
    await put(
      'ds2/clinical.xlsx',
      writeXlsx([
        ['patientid', 'SEX', 'age_at_diagnosis', 'diagnosis', 'YEAR_OF_DIAGNOSIS'],
        ['Q1', 'Female', 58.5, 'Lung Cancer', 2021],
      ]),
    );
    await put(
      'ds1/clinical.csv',
      'PatientID,Sex,AGE_AT_DIAGNOSIS,Diagnosis,year_of_diagnosis\nP1,male,61,prostate CANCER,2019\nP2,F,47,SNOMEDCT254837009,2020\nP9,female,50,breast cancer,2018\nP3,X,x,gout,\n',
    );
    await put('.hidden/x.dcm', good);
    db = openIndexDb(join(dir.path, 'index.sqlite'));
  });
  afterAll(async () => {
    db?.close();
    await dir?.remove();
  });

  it('indexes the good files and records each bad one with its reason', async () => {
    const summary = await indexDataDir(db, data(), new Vocabulary());
    const bad = Object.fromEntries(summary.skipped.map((b) => [b.path, b.reason]));
    expect(Object.keys(bad).sort()).toEqual([
      'ds1/P1/empty.dcm',
      'ds1/P1/truncated.dcm',
      'ds1/P2/bad-deflate.dcm',
      'ds1/P2/no-patient.dcm',
      'ds1/P2/notes.txt',
      'ds1/P2/tiny.bin',
    ]);
    expect(bad['ds1/P1/empty.dcm']).toBe('empty file');
    expect(bad['ds1/P1/truncated.dcm']).toMatch(/^unreadable header: /);
    expect(bad['ds1/P2/bad-deflate.dcm']).toMatch(/^unreadable header: /);
    expect(bad['ds1/P2/notes.txt']).toBe('not DICOM Part 10 (no DICM prefix)');
    expect(bad['ds1/P2/tiny.bin']).toMatch(/too short/);
    expect(bad['ds1/P2/no-patient.dcm']).toBe('missing PatientID (0010,0020)');
    expect(summary).toMatchObject({ datasets: 2, filesRead: 11, filesUnchanged: 0, instances: 4, series: 4, studies: 3, subjects: 3 });
  });

  it('takes patient-level values from the clinical sheet in any spelling', () => {
    const rows = db.prepare('SELECT patient_id, gender, age, diagnosis, year FROM clinical ORDER BY patient_id').all();
    expect(rows).toEqual([
      { patient_id: 'P1', gender: 'SNOMEDCT248153007', age: 61, diagnosis: 'SNOMEDCT399068003', year: 2019 },
      { patient_id: 'P2', gender: 'SNOMEDCT248152002', age: 47, diagnosis: 'SNOMEDCT254837009', year: 2020 },
      { patient_id: 'P3', gender: null, age: null, diagnosis: null, year: null },
      { patient_id: 'P9', gender: 'SNOMEDCT248152002', age: 50, diagnosis: 'SNOMEDCT254837009', year: 2018 },
      { patient_id: 'Q1', gender: 'SNOMEDCT248152002', age: 58.5, diagnosis: 'SNOMEDCT363358000', year: 2021 },
    ]);
    // The xlsx row fills in the empty DICOM PatientSex of Q1.
    expect(db.prepare('SELECT gender FROM q_studies WHERE dataset = 1').pluck().all()).toEqual([1]);
    // A number column that holds no number is listed too, for the quality report.
    expect(db.prepare('SELECT col, value FROM clinical_unmapped ORDER BY col').all()).toEqual([
      { col: 'age_at_diagnosis', value: 'x' },
      { col: 'diagnosis', value: 'gout' },
      { col: 'sex', value: 'X' },
    ]);
  });

  it('re-reads only new or changed files and drops deleted ones', async () => {
    // Same size and mtime: not re-read, so even garbage written in place stays indexed as before.
    const a = join(data(), 'ds1/P1/a.dcm');
    const before = await stat(a);
    await writeFile(a, Buffer.alloc(before.size, 0x41));
    await utimes(a, before.atimeMs / 1000, before.mtimeMs / 1000);
    await rm(join(data(), 'ds1/P1/b.dcm'));
    await put(
      'ds1/P3/new.dcm',
      writeImage({ ...base, sopInstanceUid: '2.25.4', patientId: 'P3', studyUid: '2.25.12', seriesUid: '2.25.103' }),
    );
    await put('ds1/P1/empty.dcm', writeImage({ ...base, sopInstanceUid: '2.25.5', seriesUid: '2.25.104', modality: 'NM' }));
    const summary = await indexDataDir(db, data(), new Vocabulary());
    expect(summary).toMatchObject({ filesRead: 2, filesDeleted: 1, filesUnchanged: 9, instances: 5, studies: 4, subjects: 4 });
    expect(summary.skipped.map((s) => s.path)).not.toContain('ds1/P1/empty.dcm');
    const again = await indexDataDir(db, data(), new Vocabulary());
    expect(again).toMatchObject({ filesRead: 0, filesDeleted: 0, instances: 5 });
  });

  it('applies the data holder mappings on top of the catalogue forms', async () => {
    const codes = () => db.prepare('SELECT body_part FROM q_series ORDER BY series').pluck().all();
    const vocab = new Vocabulary({ SNOMEDCT123037004: { CHEST: 'SNOMEDCT76752008' } });
    expect(vocab.codes('SNOMEDCT123037004', 'chest')).toEqual(['SNOMEDCT76752008']);
    expect(new Vocabulary().codes('SNOMEDCT123037004', 'Pelvis^Masculin')).toEqual(['SNOMEDCT12921003']);
    expect(new Vocabulary().codes('C25392', 'Siemens Healthineers').sort()).toEqual(['C200140', 'birnlex_3066']);
    expect(new Vocabulary().codes('C25392', 'GEMINI Systems')).toEqual([]);
    const before = codes();
    await indexDataDir(db, data(), vocab);
    expect(codes()).not.toEqual(before);
  });

  it('lists an unreadable clinical sheet and carries on', async () => {
    await put(
      'ds3/R1/1.dcm',
      writeImage({ ...base, sopInstanceUid: '2.25.40', patientId: 'R1', studyUid: '2.25.41', seriesUid: '2.25.42' }),
    );
    await put('ds3/clinical.xlsx', 'not a spreadsheet');
    const summary = await indexDataDir(db, data(), new Vocabulary());
    expect(summary.skipped[0]).toMatchObject({ path: 'ds3/clinical sheet', reason: expect.stringMatching(/^unreadable clinical sheet: /) });
    expect(summary.datasets).toBe(3);
    await rm(join(data(), 'ds3'), { recursive: true });
  });

  describe.skipIf(!existsSync(PYDICOM))('files from pydicom’s test set', () => {
    it('reads other transfer syntaxes and character sets, and skips the broken ones with a reason', async () => {
      const pick = [
        'test_files/MR_small_implicit.dcm',
        'test_files/MR_small_bigendian.dcm',
        'test_files/image_dfl.dcm',
        'test_files/MR_truncated.dcm',
        'test_files/no_meta.dcm',
        'charset_files/chrH31.dcm',
        'charset_files/chrRuss.dcm',
      ];
      for (const f of pick) await copyFile(join(PYDICOM, f), join(data(), 'ds1', f.replace('/', '-')));
      const summary = await indexDataDir(db, data(), new Vocabulary());
      const skipped = new Map(summary.skipped.map((s) => [s.path.replace('ds1/', ''), s.reason]));
      expect(skipped.get('test_files-no_meta.dcm')).toBe('not DICOM Part 10 (no DICM prefix)');
      // Deflated and parsed: its PatientID really is empty.
      expect(skipped.get('test_files-image_dfl.dcm')).toBe('missing PatientID (0010,0020)');
      // Cut short in its pixels, not its header: the header is all the index needs.
      for (const f of [
        'test_files-MR_truncated.dcm',
        'test_files-MR_small_implicit.dcm',
        'test_files-MR_small_bigendian.dcm',
        'charset_files-chrRuss.dcm',
        'charset_files-chrH31.dcm',
      ])
        expect(skipped.has(f), `${f}: ${skipped.get(f)}`).toBe(false);
      expect(summary.filesRead).toBe(pick.length);
    });
  });
});
