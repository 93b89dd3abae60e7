import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATASETS_FILE } from '../dataset.ts';
import { writeImage } from './dicom-writer.ts';
import { type DemoPatient, type DemoPlan, planDemo } from './plan.ts';
import { seededPrng } from './prng.ts';
import { writeXlsx } from './xlsx-writer.ts';

export interface GenerateResult {
  /** True when datasets.json already existed and nothing was written. */
  skipped: boolean;
  plan: DemoPlan;
  files: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const CLINICAL_HEADER = ['PatientID', 'sex', 'age_at_diagnosis', 'diagnosis', 'year_of_diagnosis'];

// Spellings sites really use; the bridge must read them all.
const SEX_TEXT = {
  M: ['M', 'male', 'Male', 'MALE'],
  F: ['F', 'female', 'Female', 'f'],
  O: ['O', 'other', 'Other'],
  U: ['U', 'unknown', 'Unknown'],
} as const;
const LABELS: Record<string, string> = {
  SNOMEDCT363406005: 'Colon cancer',
  SNOMEDCT254837009: 'Breast cancer',
  SNOMEDCT363358000: 'Lung cancer',
  SNOMEDCT363484005: 'Pelvis cancer',
  SNOMEDCT399068003: 'Prostate cancer',
};

/** The clinical rows of one dataset as written: codes or English labels, any case, mixed sex spellings. */
export function clinicalRows(seed: string, patients: DemoPatient[]): (string | number)[][] {
  const rng = seededPrng(`clinical:${seed}`);
  return patients
    .filter((p) => p.hasClinicalRow)
    .map((p) => {
      const label = LABELS[p.diagnosisCode] as string;
      const diagnosis = rng.pick([p.diagnosisCode, label, label.toUpperCase(), label.toLowerCase()]);
      return [p.id, rng.pick(SEX_TEXT[p.clinicalSex]), p.ageAtDiagnosis, diagnosis, p.yearOfDiagnosis];
    });
}

async function writePatient(dir: string, patient: DemoPatient): Promise<number> {
  let files = 0;
  for (const [s, study] of patient.studies.entries()) {
    for (const [r, series] of study.series.entries()) {
      const seriesDir = join(dir, patient.id, `study-${pad(s + 1)}`, `series-${pad(r + 1)}-${series.modality}`);
      await mkdir(seriesDir, { recursive: true });
      const studyYear = Number(study.date.slice(0, 4));
      for (const [i, sopInstanceUid] of series.instanceUids.entries()) {
        const bytes = writeImage({
          sopInstanceUid,
          studyDate: study.date,
          acquisitionDate: series.acquisitionDate,
          modality: series.modality,
          manufacturer: series.manufacturer,
          patientId: patient.id,
          patientSex: patient.sex,
          patientAge: `${String(patient.ageAtDiagnosis + studyYear - patient.yearOfDiagnosis).padStart(3, '0')}Y`,
          bodyPart: series.bodyPart,
          studyUid: study.uid,
          seriesUid: series.uid,
        });
        await writeFile(join(seriesDir, `${pad(i + 1)}.dcm`), bytes);
        files++;
      }
    }
  }
  return files;
}

/**
 * Writes the demo data of one node: one folder per dataset with DICOM files under
 * `<patient>/<study>/<series>/` and its clinical sheet, and datasets.json naming the datasets.
 * datasets.json is written last and doubles as the "done" marker, so an interrupted run is redone.
 */
export async function generateDemo(input: { dataDir: string; seed: string }): Promise<GenerateResult> {
  const plan = planDemo(input.seed);
  const marker = join(input.dataDir, DATASETS_FILE);
  if (existsSync(marker)) return { skipped: true, plan, files: 0 };
  let files = 0;
  for (const d of plan.datasets) {
    const dir = join(input.dataDir, d.folder);
    await mkdir(dir, { recursive: true });
    const patients = plan.patients.filter((p) => p.dataset === d.folder);
    for (const patient of patients) files += await writePatient(dir, patient);
    const rows = [CLINICAL_HEADER, ...clinicalRows(`${input.seed}:${d.folder}`, patients)];
    if (d.clinicalFile === 'clinical.xlsx') await writeFile(join(dir, d.clinicalFile), writeXlsx(rows));
    else await writeFile(join(dir, d.clinicalFile), `${rows.map((r) => r.join(',')).join('\n')}\n`);
  }
  const described = Object.fromEntries(plan.datasets.map((d) => [d.folder, { id: d.id, name: d.name, description: d.description }]));
  await writeFile(marker, `${JSON.stringify(described, null, 2)}\n`);
  return { skipped: false, plan, files };
}
