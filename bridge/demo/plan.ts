import { createHash } from 'node:crypto';
import { type Prng, deterministicUid, seededPrng, uuidV5 } from './prng.ts';

/**
 * The content of a synthetic node, decided before anything is written. Tests compute their expected
 * counts from this plan with plain array code, independently of the bridge's reader and evaluator.
 */
export interface DemoSeries {
  uid: string;
  modality: 'MR' | 'CT' | 'PT' | 'NM';
  bodyPart: string;
  manufacturer: string;
  acquisitionDate: string;
  instanceUids: string[];
}
export interface DemoStudy {
  uid: string;
  date: string;
  series: DemoSeries[];
}
export type SexLetter = 'M' | 'F' | 'O' | 'U';
export interface DemoPatient {
  id: string;
  /** Folder of the dataset the patient belongs to. */
  dataset: string;
  /** DICOM PatientSex as written: M, F, O or empty (unknown). */
  sex: 'M' | 'F' | 'O' | '';
  /** Whether the dataset's clinical sheet has a row for the patient (some imaged patients have none). */
  hasClinicalRow: boolean;
  /** Sex in the clinical row (written with varying spellings); may fill in an empty DICOM PatientSex. */
  clinicalSex: SexLetter;
  ageAtDiagnosis: number;
  diagnosisCode: string;
  yearOfDiagnosis: number;
  /** Empty for a clinical row without images, which must count for nothing. */
  studies: DemoStudy[];
}
export interface DemoDataset {
  folder: string;
  id: string;
  name: string;
  description: string;
  clinicalFile: 'clinical.csv' | 'clinical.xlsx';
}
export interface DemoPlan {
  seed: string;
  datasets: DemoDataset[];
  /** Every patient of every dataset, in dataset order. */
  patients: DemoPatient[];
}

type Modality = DemoSeries['modality'];
interface Diagnosis {
  code: string;
  female: number;
  // Free text as sites really write it; some of it maps to no body-part code at all.
  bodyParts: string[];
  modalities: Modality[];
}

const DIAGNOSES: Diagnosis[] = [
  {
    code: 'SNOMEDCT399068003',
    female: 0,
    bodyParts: ['PROSTATE', 'Pelvis^Masculin', 'PELVIS', 'Prostata'],
    modalities: ['MR', 'MR', 'PT', 'CT'],
  },
  { code: 'SNOMEDCT254837009', female: 0.97, bodyParts: ['BREAST', 'MAMA', 'Breast', 'SEIN'], modalities: ['MR', 'MR', 'CT', 'NM', 'PT'] },
  { code: 'SNOMEDCT363358000', female: 0.45, bodyParts: ['CHEST', 'TORAX', 'THORAX', 'LUNG'], modalities: ['CT', 'CT', 'PT', 'NM'] },
  { code: 'SNOMEDCT363406005', female: 0.5, bodyParts: ['COLON', 'Colon', 'ABDOMEN'], modalities: ['CT', 'MR', 'PT'] },
  { code: 'SNOMEDCT363484005', female: 0.6, bodyParts: ['PELVIS', 'Pelvis^Femenina', 'Pelvis^Masculin'], modalities: ['MR', 'CT'] },
];
// '' is a series without Manufacturer, which the data-quality report must find.
const MANUFACTURERS = [
  '',
  'SIEMENS',
  'Siemens Healthineers',
  'GE MEDICAL SYSTEMS',
  'GE Healthcare',
  'Philips',
  'Philips Medical Systems',
  'TOSHIBA',
  'Canon Medical Systems',
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Cases every dataset holds at least once, so tests and the quality report always meet them. */
type Forced = 'no-dicom-sex' | 'clinical-only' | 'no-clinical-row' | undefined;
const FORCED: Forced[] = [undefined, 'no-dicom-sex', 'clinical-only', 'no-clinical-row'];

function planPatient(rng: Prng, uid: (name: string) => string, id: string, dataset: string, key: string, forced: Forced): DemoPatient {
  const dx = rng.pick(DIAGNOSES);
  const roll = rng.next();
  // A few records carry O or no sex at all, as real exports do.
  let sex: DemoPatient['sex'] = roll < 0.04 ? 'O' : roll < 0.1 ? '' : rng.next() < dx.female ? 'F' : 'M';
  if (forced === 'no-dicom-sex') sex = '';
  // An empty PatientSex is often known in the clinical records: the row must fill it in.
  const clinicalSex: SexLetter =
    sex === '' ? (forced === 'no-dicom-sex' ? rng.pick(['F', 'M'] as const) : rng.pick(['F', 'M', 'U'] as const)) : sex;
  const draw = rng.next();
  const kind = forced === 'clinical-only' ? 1 : forced === 'no-clinical-row' ? 0 : forced === 'no-dicom-sex' ? 0.5 : draw;
  const patient: DemoPatient = {
    id,
    dataset,
    sex,
    hasClinicalRow: kind >= 0.08,
    clinicalSex,
    ageAtDiagnosis: rng.int(35, 85),
    diagnosisCode: dx.code,
    yearOfDiagnosis: rng.int(2014, 2023),
    studies: [],
  };
  // About one in fifteen has a clinical row but no images yet.
  const studyCount = kind > 0.93 ? 0 : rng.int(1, 3);
  for (let s = 1; s <= studyCount; s++) {
    const date = `${patient.yearOfDiagnosis + s - 1}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}`;
    const study: DemoStudy = { uid: uid(`study:${key}:${s}`), date, series: [] };
    const seriesCount = rng.int(1, 3);
    for (let r = 1; r <= seriesCount; r++) {
      const instanceCount = rng.int(1, 3);
      study.series.push({
        uid: uid(`series:${key}:${s}:${r}`),
        modality: rng.pick(dx.modalities),
        bodyPart: rng.pick(dx.bodyParts),
        manufacturer: rng.pick(MANUFACTURERS),
        acquisitionDate: date,
        instanceUids: Array.from({ length: instanceCount }, (_, i) => uid(`instance:${key}:${s}:${r}:${i + 1}`)),
      });
    }
    patient.studies.push(study);
  }
  return patient;
}

/** Two datasets per node: the first with clinical.csv, the second with clinical.xlsx. */
export function planDemo(seed: string): DemoPlan {
  const rng = seededPrng(seed);
  const uid = (name: string) => deterministicUid(`${seed}:${name}`);
  const datasets: DemoDataset[] = [];
  const patients: DemoPatient[] = [];
  for (const [k, file] of (['clinical.csv', 'clinical.xlsx'] as const).entries()) {
    const folder = `collection-${k + 1}`;
    datasets.push({
      folder,
      id: uuidV5(`dataset:${seed}:${folder}`),
      name: `Synthetic imaging collection ${k + 1} (${seed})`,
      description: `Deterministic synthetic DICOM headers and clinical data generated from seed "${seed}"; no real patients.`,
      clinicalFile: file,
    });
    const prefix = createHash('sha256').update(`patients:${seed}:${folder}`).digest('hex').slice(0, 6).toUpperCase();
    const count = rng.int(12, 22);
    for (let p = 1; p <= count; p++) patients.push(planPatient(rng, uid, `${prefix}-${pad(p, 4)}`, folder, `${k}:${p}`, FORCED[p]));
  }
  return { seed, datasets, patients };
}
