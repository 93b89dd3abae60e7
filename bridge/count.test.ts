import { describe, expect, it } from 'vitest';
import type { QueryLeaf, QueryNode } from '../shared/query.ts';
import { countMatches } from './count.ts';
import type { HeadFields } from './index/dicom-head.ts';
import { MemoryImagingIndex } from './index/imaging-index.ts';

const dataset = { id: '3f0c9a52-8a55-5d0e-9c1b-6c1f2a7b9e01', name: 'Fixture collection', description: 'for tests' };

// patient, sex, study, then series as [modality, body part, manufacturer]
const fixture: [string, string, string, [string, string, string][]][] = [
  ['P1', 'M', 'S1', [['MR', 'PROSTATE', 'SIEMENS'], ['PT', 'Pelvis^Masculin', 'GE MEDICAL SYSTEMS']]],
  ['P1', 'M', 'S2', [['CT', 'TORAX', 'Philips']]],
  ['P2', 'F', 'S3', [['MR', 'BREAST', 'Siemens Healthineers']]],
  ['P2', 'F', 'S4', [['NM', 'MAMA', 'TOSHIBA']]],
  ['P3', '', 'S5', [['CT', 'CHEST', 'GE Healthcare']]],
  ['P4', 'O', 'S6', [['MR', 'ABDOMEN', 'Canon Medical Systems'], ['CT', 'ABDOMEN', 'Canon Medical Systems']]],
];

function fixtureIndex(): MemoryImagingIndex {
  const index = new MemoryImagingIndex();
  let n = 0;
  for (const [patientId, patientSex, studyUid, series] of fixture) {
    for (const [modality, bodyPart, manufacturer] of series) {
      n++;
      const fields: HeadFields = {
        sopInstanceUid: `I${n}`,
        patientId,
        patientSex,
        studyUid,
        studyDate: '20200101',
        seriesUid: `${studyUid}-R${n}`,
        modality,
        bodyPart,
        manufacturer,
        acquisitionDate: '20200101',
      };
      index.add(fields);
    }
  }
  return index;
}

const leaf = (key: string, type: QueryLeaf['type'], value: QueryLeaf['value']): QueryLeaf => ({ key, type, value });
const or = (...children: QueryNode[]): QueryNode => ({ operand: 'OR', children });
const and = (...children: QueryNode[]): QueryNode => ({ operand: 'AND', children });
const not = (...children: QueryNode[]): QueryNode => ({ operand: 'NOT', children });
const MODALITY = 'RID10311';
const GENDER = 'SNOMEDCT263495000';
const MR = 'RID10312';
const CT = 'RID10321';
const PET = 'RID10337';
const SPECT = 'RID10334';
const MALE = 'SNOMEDCT248153007';
const FEMALE = 'SNOMEDCT248152002';
const AGE = 'SNOMEDCT423493009';

describe.each<{ name: string; query: QueryNode; studies: number; subjects: number; unsupported?: string[] }>([
  { name: 'the empty query matches everything', query: or(), studies: 6, subjects: 4 },
  { name: 'modality MR (EXISTS over series)', query: or(leaf(MODALITY, 'EQUALS', MR)), studies: 3, subjects: 3 },
  { name: 'modality PET maps to DICOM PT', query: leaf(MODALITY, 'EQUALS', PET), studies: 1, subjects: 1 },
  { name: 'modality SPECT maps to DICOM NM', query: leaf(MODALITY, 'EQUALS', SPECT), studies: 1, subjects: 1 },
  { name: 'modality IN [PET, SPECT]', query: leaf(MODALITY, 'IN', [PET, SPECT]), studies: 2, subjects: 2 },
  { name: 'modality NOT_EQUALS CT means no CT series', query: leaf(MODALITY, 'NOT_EQUALS', CT), studies: 3, subjects: 2 },
  { name: 'NOT (modality CT) agrees with NOT_EQUALS', query: not(leaf(MODALITY, 'EQUALS', CT)), studies: 3, subjects: 2 },
  { name: 'an unknown modality code matches nothing', query: leaf(MODALITY, 'EQUALS', 'RID99999'), studies: 0, subjects: 0 },
  { name: 'gender male', query: leaf(GENDER, 'EQUALS', MALE), studies: 2, subjects: 1 },
  { name: 'gender other (DICOM O)', query: leaf(GENDER, 'EQUALS', 'SNOMEDCT74964007'), studies: 1, subjects: 1 },
  { name: 'gender unknown (empty PatientSex)', query: leaf(GENDER, 'EQUALS', 'SNOMEDCT261665006'), studies: 1, subjects: 1 },
  { name: 'gender IN [male, female]', query: leaf(GENDER, 'IN', [MALE, FEMALE]), studies: 4, subjects: 2 },
  { name: 'gender NOT_EQUALS female', query: leaf(GENDER, 'NOT_EQUALS', FEMALE), studies: 4, subjects: 3 },
  {
    name: 'Lens shape: OR of AND of ORs (male AND MR)',
    query: or(and(or(leaf(GENDER, 'EQUALS', MALE)), or(leaf(MODALITY, 'EQUALS', MR)))),
    studies: 1,
    subjects: 1,
  },
  { name: 'OR across criteria (female OR CT)', query: or(leaf(GENDER, 'EQUALS', FEMALE), leaf(MODALITY, 'EQUALS', CT)), studies: 5, subjects: 4 },
  { name: 'NOT nested in AND (MR but not male)', query: and(leaf(MODALITY, 'EQUALS', MR), not(leaf(GENDER, 'EQUALS', MALE))), studies: 2, subjects: 2 },
  { name: 'body part: free text Pelvis^Masculin is pelvis', query: leaf('SNOMEDCT123037004', 'EQUALS', 'SNOMEDCT12921003'), studies: 1, subjects: 1 },
  { name: 'body part: TORAX and CHEST are lung', query: leaf('SNOMEDCT123037004', 'EQUALS', 'SNOMEDCT39607008'), studies: 2, subjects: 2 },
  { name: 'manufacturer Siemens includes Siemens Healthineers', query: leaf('C25392', 'EQUALS', 'birnlex_3066'), studies: 2, subjects: 2 },
  { name: 'manufacturer GE from free text', query: leaf('C25392', 'EQUALS', 'birnlex_12833'), studies: 2, subjects: 2 },
  {
    name: 'an unsupported key is reported and does not restrict',
    query: or(and(or(leaf(MODALITY, 'EQUALS', MR)), or(leaf(AGE, 'BETWEEN', { min: 40, max: 70 })))),
    studies: 3,
    subjects: 3,
    unsupported: [AGE],
  },
  { name: 'NOT of an unsupported key does not turn into "nothing"', query: not(leaf(AGE, 'LOWER_THAN', 50)), studies: 6, subjects: 4, unsupported: [AGE] },
  {
    name: 'a supported key with an operator it cannot take is reported',
    query: and(leaf(MODALITY, 'CONTAINS', 'M'), leaf(GENDER, 'EQUALS', FEMALE)),
    studies: 2,
    subjects: 1,
    unsupported: [MODALITY],
  },
])('count: $name', ({ query, studies, subjects, unsupported }) => {
  it(`finds ${studies} studies of ${subjects} subjects`, () => {
    const result = countMatches(query, fixtureIndex(), dataset);
    expect(result.total, JSON.stringify(query)).toEqual({ studies_count: studies, subjects_count: subjects });
    expect(result.collections).toEqual([{ ...dataset, studies_count: studies, subjects_count: subjects }]);
    expect(result.unsupported_keys).toEqual(unsupported ?? []);
  });
});

describe('countMatches', () => {
  it('reports unsupported keys even when the node holds no studies', () => {
    const result = countMatches(leaf('CLIN1045815', 'EQUALS', 'COM1001310'), new MemoryImagingIndex(), dataset);
    expect(result.unsupported_keys).toEqual(['CLIN1045815']);
    expect(result.total).toEqual({ studies_count: 0, subjects_count: 0 });
  });
});
