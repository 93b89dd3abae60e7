import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeImage } from './dicom-writer.ts';
import { type DemoPlan, planDemo } from './plan.ts';

export interface GenerateResult {
  /** True when dataset.json already existed and nothing was written. */
  skipped: boolean;
  plan: DemoPlan;
  files: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Writes the demo data of one node: DICOM files under `<patient>/<study>/<series>/`, clinical.csv and
 * dataset.json. dataset.json is written last and doubles as the "done" marker, so an interrupted run
 * is simply redone.
 */
export async function generateDemo(input: { dataDir: string; seed: string }): Promise<GenerateResult> {
  const plan = planDemo(input.seed);
  const marker = join(input.dataDir, 'dataset.json');
  if (existsSync(marker)) return { skipped: true, plan, files: 0 };
  let files = 0;
  for (const patient of plan.patients) {
    for (const [s, study] of patient.studies.entries()) {
      for (const [r, series] of study.series.entries()) {
        const dir = join(input.dataDir, patient.id, `study-${pad(s + 1)}`, `series-${pad(r + 1)}-${series.modality}`);
        await mkdir(dir, { recursive: true });
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
          await writeFile(join(dir, `${pad(i + 1)}.dcm`), bytes);
          files++;
        }
      }
    }
  }
  const csv = [
    'patient_id,sex,age_at_diagnosis,diagnosis_code,year_of_diagnosis',
    ...plan.patients.map((p) => [p.id, p.sex, p.ageAtDiagnosis, p.diagnosisCode, p.yearOfDiagnosis].join(',')),
  ].join('\n');
  await writeFile(join(input.dataDir, 'clinical.csv'), `${csv}\n`);
  await writeFile(marker, `${JSON.stringify(plan.dataset, null, 2)}\n`);
  return { skipped: false, plan, files };
}
