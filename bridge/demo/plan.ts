import { createHash } from 'node:crypto';
import { deterministicUid, seededPrng, uuidV5 } from './prng.ts';

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
export interface DemoPatient {
  id: string;
  /** DICOM PatientSex as written: M, F, O or empty (unknown). */
  sex: 'M' | 'F' | 'O' | '';
  ageAtDiagnosis: number;
  diagnosisCode: string;
  yearOfDiagnosis: number;
  studies: DemoStudy[];
}
export interface DemoDataset {
  id: string;
  name: string;
  description: string;
}
export interface DemoPlan {
  seed: string;
  dataset: DemoDataset;
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
  { code: 'SNOMEDCT399068003', female: 0, bodyParts: ['PROSTATE', 'Pelvis^Masculin', 'PELVIS', 'Prostata'], modalities: ['MR', 'MR', 'PT', 'CT'] },
  { code: 'SNOMEDCT254837009', female: 0.97, bodyParts: ['BREAST', 'MAMA', 'Breast', 'SEIN'], modalities: ['MR', 'MR', 'CT', 'NM', 'PT'] },
  { code: 'SNOMEDCT363358000', female: 0.45, bodyParts: ['CHEST', 'TORAX', 'THORAX', 'LUNG'], modalities: ['CT', 'CT', 'PT', 'NM'] },
  { code: 'SNOMEDCT363406005', female: 0.5, bodyParts: ['COLON', 'Colon', 'ABDOMEN'], modalities: ['CT', 'MR', 'PT'] },
  { code: 'SNOMEDCT363484005', female: 0.6, bodyParts: ['PELVIS', 'Pelvis^Femenina', 'Pelvis^Masculin'], modalities: ['MR', 'CT'] },
];
const MANUFACTURERS = ['SIEMENS', 'Siemens Healthineers', 'GE MEDICAL SYSTEMS', 'GE Healthcare', 'Philips', 'Philips Medical Systems', 'TOSHIBA', 'Canon Medical Systems'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function planDemo(seed: string): DemoPlan {
  const rng = seededPrng(seed);
  const prefix = createHash('sha256').update(`patients:${seed}`).digest('hex').slice(0, 6).toUpperCase();
  const uid = (name: string) => deterministicUid(`${seed}:${name}`);
  const patients: DemoPatient[] = [];
  const patientCount = rng.int(20, 40);
  for (let p = 1; p <= patientCount; p++) {
    const dx = rng.pick(DIAGNOSES);
    const roll = rng.next();
    // A few records carry O or no sex at all, as real exports do.
    const sex: DemoPatient['sex'] = roll < 0.04 ? 'O' : roll < 0.08 ? '' : rng.next() < dx.female ? 'F' : 'M';
    const patient: DemoPatient = {
      id: `${prefix}-${pad(p, 4)}`,
      sex,
      ageAtDiagnosis: rng.int(35, 85),
      diagnosisCode: dx.code,
      yearOfDiagnosis: rng.int(2014, 2023),
      studies: [],
    };
    const studyCount = rng.int(1, 3);
    for (let s = 1; s <= studyCount; s++) {
      const date = `${patient.yearOfDiagnosis + s - 1}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}`;
      const study: DemoStudy = { uid: uid(`study:${p}:${s}`), date, series: [] };
      const seriesCount = rng.int(1, 3);
      for (let r = 1; r <= seriesCount; r++) {
        const instanceCount = rng.int(1, 3);
        study.series.push({
          uid: uid(`series:${p}:${s}:${r}`),
          modality: rng.pick(dx.modalities),
          bodyPart: rng.pick(dx.bodyParts),
          manufacturer: rng.pick(MANUFACTURERS),
          acquisitionDate: date,
          instanceUids: Array.from({ length: instanceCount }, (_, i) => uid(`instance:${p}:${s}:${r}:${i + 1}`)),
        });
      }
      patient.studies.push(study);
    }
    patients.push(patient);
  }
  return {
    seed,
    dataset: {
      id: uuidV5(`dataset:${seed}`),
      name: `Synthetic imaging collection (${seed})`,
      description: `Deterministic synthetic DICOM headers and clinical data generated from seed "${seed}"; no real patients.`,
    },
    patients,
  };
}
