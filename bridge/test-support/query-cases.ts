import type { QueryLeaf, QueryNode } from '../../shared/query.ts';
import * as o from './plan-oracle.ts';

/** A table of queries with the plain-code predicate each must agree with (see plan-oracle.ts). */
export const leaf = (key: string, type: QueryLeaf['type'], value: QueryLeaf['value']): QueryLeaf => ({ key, type, value });
export const or = (...children: QueryNode[]): QueryNode => ({ operand: 'OR', children });
export const and = (...children: QueryNode[]): QueryNode => ({ operand: 'AND', children });
export const not = (child: QueryNode): QueryNode => ({ operand: 'NOT', children: [child] });
const xor = (...children: QueryNode[]): QueryNode => ({ operand: 'XOR', children });
export const [GENDER, AGE, DX, YEAR, MOD, BODY, MAN] = [
  'SNOMEDCT263495000',
  'SNOMEDCT423493009',
  'SNOMEDCT439401001',
  'SNOMEDCT432213005',
  'RID10311',
  'SNOMEDCT123037004',
  'C25392',
];
export const [MR, CT, PET, SPECT] = ['RID10312', 'RID10321', 'RID10337', 'RID10334'];
const [PROSTATE_DX, BREAST_DX, LUNG_DX, COLON_DX] = ['SNOMEDCT399068003', 'SNOMEDCT254837009', 'SNOMEDCT363358000', 'SNOMEDCT363406005'];
const [PROSTATE, PELVIS] = ['SNOMEDCT41216001', 'SNOMEDCT12921003'];
const between = (v: number | undefined, min?: number, max?: number) =>
  v !== undefined && (min === undefined || v >= min) && (max === undefined || v <= max);

export const QUERY_CASES: { name: string; query: QueryNode; match: o.Match }[] = [
  { name: 'everything (Lens empty query)', query: or(), match: () => true },
  { name: 'MR in Lens shape', query: or(and(or(leaf(MOD, 'EQUALS', MR)))), match: (_, s) => o.hasModality(s, MR) },
  {
    name: 'male with CT',
    query: and(leaf(GENDER, 'EQUALS', o.GENDER_OF.M), leaf(MOD, 'EQUALS', CT)),
    match: (p, s) => o.gender(p) === o.GENDER_OF.M && o.hasModality(s, CT),
  },
  { name: 'NOT PET', query: not(leaf(MOD, 'EQUALS', PET)), match: (_, s) => !o.hasModality(s, PET) },
  {
    name: 'modality NOT_EQUALS CT (a series of another modality)',
    query: leaf(MOD, 'NOT_EQUALS', CT),
    match: (_, s) => o.hasSeries(s, (r) => !o.isModality(r, CT)),
  },
  { name: 'PET or SPECT', query: leaf(MOD, 'IN', [PET, SPECT]), match: (_, s) => o.hasModality(s, PET) || o.hasModality(s, SPECT) },
  {
    name: 'female or prostate body part',
    query: or(leaf(GENDER, 'EQUALS', o.GENDER_OF.F), leaf(BODY, 'EQUALS', 'SNOMEDCT41216001')),
    match: (p, s) => o.gender(p) === o.GENDER_OF.F || o.hasBodyPart(s, 'SNOMEDCT41216001'),
  },
  {
    name: 'gender unknown (clinical U or no sex anywhere)',
    query: leaf(GENDER, 'EQUALS', o.GENDER_OF.U),
    match: (p) => o.gender(p) === o.GENDER_OF.U,
  },
  {
    name: 'MR aged 40-70 (clinical rows only)',
    query: and(leaf(MOD, 'EQUALS', MR), leaf(AGE, 'BETWEEN', { min: 40, max: 70 })),
    match: (p, s) => o.hasModality(s, MR) && between(o.age(p), 40, 70),
  },
  { name: 'age lower than 50', query: leaf(AGE, 'LOWER_THAN', 50), match: (p) => between(o.age(p), undefined, 49.999) },
  {
    name: 'NOT age lower than 50 includes patients without a row',
    query: not(leaf(AGE, 'LOWER_THAN', 50)),
    match: (p) => !between(o.age(p), undefined, 49.999),
  },
  { name: 'diagnosis prostate cancer', query: leaf(DX, 'EQUALS', PROSTATE_DX), match: (p) => o.diagnosis(p) === PROSTATE_DX },
  {
    name: 'diagnosis not breast cancer (a diagnosis, another one)',
    query: leaf(DX, 'NOT_EQUALS', BREAST_DX),
    match: (p) => o.diagnosis(p) !== undefined && o.diagnosis(p) !== BREAST_DX,
  },
  {
    name: 'gender not male (a known gender, another one)',
    query: leaf(GENDER, 'NOT_EQUALS', o.GENDER_OF.M),
    match: (p) => o.gender(p) !== o.GENDER_OF.M && o.gender(p) !== o.GENDER_OF.U,
  },
  {
    name: 'diagnosis IN lung/colon and year from 2016',
    query: or(and(or(leaf(DX, 'IN', [LUNG_DX, COLON_DX])), or(leaf(YEAR, 'BETWEEN', { min: 2016 })))),
    match: (p) => [LUNG_DX, COLON_DX].includes(o.diagnosis(p) ?? '') && between(o.year(p), 2016),
  },
  { name: 'year greater than 2018', query: leaf(YEAR, 'GREATER_THAN', 2018), match: (p) => between(o.year(p), 2018.001) },
  {
    name: 'XOR of MR and CT',
    query: xor(leaf(MOD, 'EQUALS', MR), leaf(MOD, 'EQUALS', CT)),
    match: (_, s) => o.hasModality(s, MR) !== o.hasModality(s, CT),
  },
  {
    name: 'Siemens and lung: one series of the study is both',
    query: and(leaf(MAN, 'EQUALS', 'birnlex_3066'), leaf(BODY, 'EQUALS', 'SNOMEDCT39607008')),
    match: (_, s) => o.hasSeries(s, (r) => o.isManufacturer(r, 'birnlex_3066') && o.isBodyPart(r, 'SNOMEDCT39607008')),
  },
  {
    name: 'MR of the prostate in Lens shape: one series, not an MR of one part and a prostate of another',
    query: or(and(or(leaf(MOD, 'EQUALS', MR)), or(leaf(BODY, 'EQUALS', PROSTATE)), or(leaf(GENDER, 'EQUALS', o.GENDER_OF.M)))),
    match: (p, s) => o.gender(p) === o.GENDER_OF.M && o.hasSeries(s, (r) => o.isModality(r, MR) && o.isBodyPart(r, PROSTATE)),
  },
  {
    name: 'MR or CT of the pelvis, the pelvis by the code the CHAIMELEON mediator knows',
    query: and(or(leaf(MOD, 'EQUALS', MR), leaf(MOD, 'EQUALS', CT)), leaf(BODY, 'IN', ['SNOMEDCT816092008'])),
    match: (_, s) => o.hasSeries(s, (r) => (o.isModality(r, MR) || o.isModality(r, CT)) && o.isBodyPart(r, PELVIS)),
  },
  {
    name: 'a series of the study is not of the prostate, with a study-level criterion beside it',
    query: or(leaf(DX, 'EQUALS', LUNG_DX), leaf(BODY, 'NOT_EQUALS', PROSTATE)),
    match: (p, s) => o.diagnosis(p) === LUNG_DX || o.hasSeries(s, (r) => !o.isBodyPart(r, PROSTATE)),
  },
  {
    name: 'NOT (MR of the prostate): no series is both',
    query: not(and(leaf(MOD, 'EQUALS', MR), leaf(BODY, 'EQUALS', PROSTATE))),
    match: (_, s) => !o.hasSeries(s, (r) => o.isModality(r, MR) && o.isBodyPart(r, PROSTATE)),
  },
  {
    name: 'manufacturer unknown (a series without Manufacturer)',
    query: leaf(MAN, 'IN', ['SNOMEDCT261665006']),
    match: (_, s) => o.hasManufacturer(s, 'SNOMEDCT261665006'),
  },
  { name: 'the abdomen', query: leaf(BODY, 'EQUALS', 'SNOMEDCT818981001'), match: (_, s) => o.hasBodyPart(s, 'SNOMEDCT818981001') },
  {
    name: 'manufacturer known (NOT_EQUALS unknown)',
    query: leaf(MAN, 'NOT_EQUALS', 'SNOMEDCT261665006'),
    match: (_, s) => o.hasSeries(s, (r) => !o.isManufacturer(r, 'SNOMEDCT261665006')),
  },
  {
    name: 'GE or Toshiba',
    query: leaf(MAN, 'IN', ['birnlex_12833', 'birnlex_3067']),
    match: (_, s) => o.hasManufacturer(s, 'birnlex_12833') || o.hasManufacturer(s, 'birnlex_3067'),
  },
];
