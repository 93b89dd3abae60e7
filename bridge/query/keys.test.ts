import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FilterDefinition, filterByKey } from '../../shared/filter-catalogue.ts';
import { writeImage } from '../demo/dicom-writer.ts';
import { indexDataDir } from '../index/indexer.ts';
import { type Db, getMeta, openIndexDb } from '../index/schema.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { answerQuery } from './answer.ts';
import { capabilityManifest } from './capabilities.ts';
import { KeySet, QUERY_KEYS, type QueryKeySpec } from './keys.ts';
import { DEFAULT_PRIVACY, Obfuscator } from './obfuscate.ts';
import { Vocabulary } from './vocabulary.ts';

const exact = new Obfuscator({ ...DEFAULT_PRIVACY, enabled: false });
const codes = (n: number) => Array.from({ length: n }, (_, i) => ({ code: `C${i}`, label: `code ${i}` }));
const filter = (key: string, over: Partial<FilterDefinition> = {}): FilterDefinition => ({
  key,
  label: key,
  group: 'Test',
  level: 'patient',
  valueType: 'code',
  operators: ['EQUALS', 'NOT_EQUALS', 'IN'],
  source: 'eucaim',
  values: codes(3),
  ...over,
});
const keySet = (extra: QueryKeySpec[], filters: FilterDefinition[]) =>
  new KeySet([...QUERY_KEYS, ...extra], (key) => filters.find((f) => f.key === key) ?? filterByKey(key));

describe('the key table', () => {
  it.each([
    [
      'a series-level key with 33 codes (they would share bits of a 32-bit mask)',
      [filter('X', { level: 'series', values: codes(33) })],
      'X',
      { dicom: 'body_part' },
      /33 codes do not fit/,
    ],
    ['a key outside the catalogue', [], 'NOWHERE', {}, /not in the filter catalogue/],
    ['a free-text key', [filter('X', { valueType: 'string', values: undefined })], 'X', {}, /not free text/],
    ['a column another key has', [filter('X')], 'X', { column: 'gender' }, /not a free, plain column name/],
    ['a column name that is not plain', [filter('X')], 'X', { column: 'x; DROP TABLE files' }, /not a free, plain column name/],
    ['a second key for an answer list', [filter('X')], 'X', { stratum: 'gender' }, /two keys feed gender/],
  ] as const)('refuses %s', (_name, filters, key, over, message) => {
    expect(() => keySet([{ key, column: 'x', sheet: ['x'], ...over }], [...filters])).toThrow(message);
  });

  it('refuses an answer list fed by a key of the wrong level', () => {
    expect(() => new KeySet([{ key: 'X', column: 'x', sheet: ['x'], stratum: 'modalities' }], () => filter('X'))).toThrow(
      /takes a series-level coded key/,
    );
  });

  it('takes 32 codes in a series mask and the top bit works', () => {
    const keys = keySet([{ key: 'X', column: 'x', dicom: 'body_part' }], [filter('X', { level: 'series', values: codes(32) })]);
    expect(keys.position(keys.find('X')!, 'C31')).toBe(31);
  });
});

describe('adding a clinical key end to end: one catalogue entry and one table entry', () => {
  // What a contributor adds: the filter as it would stand in shared/filter-catalogue.json ...
  const SIZE = filter('LOCAL_TUMOUR_SIZE', {
    valueType: 'number',
    unit: 'mm',
    min: 0,
    max: 500,
    operators: ['BETWEEN', 'LOWER_THAN', 'GREATER_THAN'],
    values: undefined,
  });
  const GRADE = filter('LOCAL_TUMOUR_GRADE', {
    values: [
      { code: 'G1', label: 'Grade 1' },
      { code: 'G2', label: 'Grade 2' },
      { code: 'G3', label: 'Grade 3' },
    ],
  });
  // ... and the bridge's table entries saying where the values come from.
  const keys = keySet(
    [
      { key: SIZE.key, column: 'tumour_size', sheet: ['tumour_size'] },
      { key: GRADE.key, column: 'tumour_grade', sheet: ['tumour_grade', 'grade'] },
      { key: 'LOCAL_ABSENT', column: 'absent', sheet: ['absent'] },
    ],
    [SIZE, GRADE, filter('LOCAL_ABSENT')],
  );
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let db: Db;

  beforeAll(async () => {
    dir = await tempDir();
    const data = join(dir.path, 'data');
    await mkdir(join(data, 'ds'), { recursive: true });
    for (const [i, id] of ['P1', 'P2', 'P3', 'P4'].entries()) {
      const image = writeImage({
        sopInstanceUid: `2.25.${i}1`,
        studyDate: '20200101',
        acquisitionDate: '20200101',
        modality: 'MR',
        manufacturer: 'Philips',
        patientId: id,
        patientSex: 'F',
        patientAge: '050Y',
        bodyPart: 'BREAST',
        studyUid: `2.25.${i}2`,
        seriesUid: `2.25.${i}3`,
      });
      await writeFile(join(data, 'ds', `${id}.dcm`), image);
    }
    // The second grade column feeds the same key: the first non-empty cell wins.
    await writeFile(
      join(data, 'ds', 'clinical.csv'),
      'PatientID,sex,Tumour_Size,tumour_grade,grade\nP1,F,12,grade 1,\nP2,F,35,,G3\nP3,F,,g2,\nP4,F,50,,\n',
    );
    db = openIndexDb(join(dir.path, 'index.sqlite'), keys);
    await indexDataDir(db, data, new Vocabulary({}, keys));
  });
  afterAll(async () => {
    db?.close();
    await dir?.remove();
  });

  const studies = (query: unknown) => {
    const a = answerQuery(db, query as never, exact);
    return a.status === 'answered' ? a.result.total.studies_count : a;
  };

  it.each([
    ['a number range', { key: SIZE.key, type: 'BETWEEN', value: { min: 30 } }, 2],
    ['a number below', { key: SIZE.key, type: 'LOWER_THAN', value: 20 }, 1],
    ['codes, from either column', { key: GRADE.key, type: 'IN', value: ['G1', 'G3'] }, 2],
    ['another code (a patient without a grade passes neither)', { key: GRADE.key, type: 'NOT_EQUALS', value: 'G3' }, 2],
    [
      'with the EUCAIM keys',
      {
        operand: 'AND',
        children: [
          { key: 'RID10311', type: 'EQUALS', value: 'RID10312' },
          { key: GRADE.key, type: 'EQUALS', value: 'G2' },
        ],
      },
      1,
    ],
  ])('evaluates %s', (_name, query, count) => {
    expect(studies(query)).toBe(count);
  });

  it('names it in the capability manifest, and a key no sheet has a column for is unsupported', () => {
    const manifest = capabilityManifest(keys, new Set(JSON.parse(getMeta(db, 'sheet_columns') ?? '[]') as string[]));
    expect(manifest.filters.find((f) => f.key === GRADE.key)).toEqual({ key: GRADE.key, values: ['G1', 'G2', 'G3'] });
    expect(manifest.filters.find((f) => f.key === SIZE.key)).toEqual({ key: SIZE.key });
    expect(manifest.filters.some((f) => f.key === 'LOCAL_ABSENT')).toBe(false);
    expect(studies({ key: 'LOCAL_ABSENT', type: 'EQUALS', value: 'C1' })).toEqual({
      status: 'unsupported',
      unsupported_keys: ['LOCAL_ABSENT'],
    });
  });

  it('stores it in the clinical and query tables by name', () => {
    expect(db.prepare('SELECT patient_id, tumour_size, tumour_grade FROM clinical ORDER BY patient_id').all()).toEqual([
      { patient_id: 'P1', tumour_size: 12, tumour_grade: 'G1' },
      { patient_id: 'P2', tumour_size: 35, tumour_grade: 'G3' },
      { patient_id: 'P3', tumour_size: null, tumour_grade: 'G2' },
      { patient_id: 'P4', tumour_size: 50, tumour_grade: null },
    ]);
  });
});
