import type { DemoPatient, DemoPlan, DemoStudy } from '../demo/plan.ts';

/**
 * Expected answers computed from a demo plan with plain array code and tables of its own, so the
 * bridge's vocabulary, SQL and aggregation are checked against something that shares none of them.
 */
export const GENDER_OF = { M: 'SNOMEDCT248153007', F: 'SNOMEDCT248152002', O: 'SNOMEDCT74964007', U: 'SNOMEDCT261665006' } as const;
const BODY_PART_OF: Record<string, string[]> = {
  PROSTATE: ['SNOMEDCT41216001'],
  Prostata: ['SNOMEDCT41216001'],
  // The catalogue's pelvis and the one the CHAIMELEON mediator knows are one body part.
  PELVIS: ['SNOMEDCT12921003', 'SNOMEDCT816092008'],
  'Pelvis^Masculin': ['SNOMEDCT12921003', 'SNOMEDCT816092008'],
  'Pelvis^Femenina': ['SNOMEDCT12921003', 'SNOMEDCT816092008'],
  BREAST: ['SNOMEDCT76752008'],
  Breast: ['SNOMEDCT76752008'],
  MAMA: ['SNOMEDCT76752008'],
  SEIN: ['SNOMEDCT76752008'],
  CHEST: ['SNOMEDCT39607008'],
  TORAX: ['SNOMEDCT39607008'],
  THORAX: ['SNOMEDCT39607008'],
  LUNG: ['SNOMEDCT39607008'],
  COLON: ['SNOMEDCT71854001'],
  Colon: ['SNOMEDCT71854001'],
  ABDOMEN: ['SNOMEDCT818981001'],
};
/** An empty Manufacturer is "unknown"; Canon is no catalogue manufacturer (not Toshiba) without a mapping file. */
const MANUFACTURER_OF: Record<string, string[]> = {
  '': ['SNOMEDCT261665006'],
  SIEMENS: ['birnlex_3066'],
  'Siemens Healthineers': ['birnlex_3066', 'C200140'],
  'GE MEDICAL SYSTEMS': ['birnlex_12833'],
  'GE Healthcare': ['birnlex_12833'],
  Philips: ['birnlex_3065'],
  'Philips Medical Systems': ['birnlex_3065'],
  TOSHIBA: ['birnlex_3067'],
  'Canon Medical Systems': [],
};
const MODALITY_OF: Record<string, string> = { MR: 'RID10312', PT: 'RID10337', NM: 'RID10334', CT: 'RID10321' };

export const gender = (p: DemoPatient) => (p.hasClinicalRow ? GENDER_OF[p.clinicalSex] : GENDER_OF[p.sex === '' ? 'U' : p.sex]);
export const age = (p: DemoPatient) => (p.hasClinicalRow ? p.ageAtDiagnosis : undefined);
export const year = (p: DemoPatient) => (p.hasClinicalRow ? p.yearOfDiagnosis : undefined);
export const diagnosis = (p: DemoPatient) => (p.hasClinicalRow ? p.diagnosisCode : undefined);
type Series = DemoStudy['series'][number];
/** Per series: what one series is; a study "has" a code when one of its series is it. */
export const isModality = (r: Series, code: string) => MODALITY_OF[r.modality] === code;
export const isBodyPart = (r: Series, code: string) => (BODY_PART_OF[r.bodyPart] ?? []).includes(code);
export const isManufacturer = (r: Series, code: string) => (MANUFACTURER_OF[r.manufacturer] ?? []).includes(code);
export const hasSeries = (s: DemoStudy, test: (r: Series) => boolean) => s.series.some(test);
export const hasModality = (s: DemoStudy, code: string) => hasSeries(s, (r) => isModality(r, code));
export const hasBodyPart = (s: DemoStudy, code: string) => hasSeries(s, (r) => isBodyPart(r, code));
export const hasManufacturer = (s: DemoStudy, code: string) => hasSeries(s, (r) => isManufacturer(r, code));

export type Match = (p: DemoPatient, s: DemoStudy) => boolean;

export interface Expected {
  studies_count: number;
  subjects_count: number;
  genders: Record<string, number>;
  ages: number[];
}

export function expectedFor(plan: DemoPlan, match: Match, folder?: string): Expected {
  const hits = plan.patients
    .filter((p) => !folder || p.dataset === folder)
    .flatMap((p) => p.studies.filter((s) => match(p, s)).map(() => p));
  const subjects = [...new Set(hits)];
  const genders: Record<string, number> = {};
  for (const p of subjects) genders[gender(p)] = (genders[gender(p)] ?? 0) + 1;
  return {
    studies_count: hits.length,
    subjects_count: new Set(hits.map((p) => p.id)).size,
    genders,
    ages: subjects.map(age).filter((a): a is number => a !== undefined),
  };
}
