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
  { name: 'modality NOT_EQUALS CT (no CT series)', query: leaf(MOD, 'NOT_EQUALS', CT), match: (_, s) => !o.hasModality(s, CT) },
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
  { name: 'diagnosis not breast cancer', query: leaf(DX, 'NOT_EQUALS', BREAST_DX), match: (p) => o.diagnosis(p) !== BREAST_DX },
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
    name: 'Siemens and lung, each on any series of the study',
    query: and(leaf(MAN, 'EQUALS', 'birnlex_3066'), leaf(BODY, 'EQUALS', 'SNOMEDCT39607008')),
    match: (_, s) => o.hasManufacturer(s, 'birnlex_3066') && o.hasBodyPart(s, 'SNOMEDCT39607008'),
  },
  {
    name: 'GE or Toshiba',
    query: leaf(MAN, 'IN', ['birnlex_12833', 'birnlex_3067']),
    match: (_, s) => o.hasManufacturer(s, 'birnlex_12833') || o.hasManufacturer(s, 'birnlex_3067'),
  },
];
