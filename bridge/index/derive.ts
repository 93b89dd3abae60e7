import type { DatasetFolder } from '../dataset.ts';
import { CODED_KEYS, type Vocabulary, codesOf } from '../vocabulary.ts';
import { type Db, setMeta } from './schema.ts';

/** Position of each code of a coded key: its bit in a mask, or its id in a patient-level column. */
export const CODE_INDEX = Object.fromEntries(
  Object.values(CODED_KEYS).map((key) => [key, new Map(codesOf(key).map((code, i) => [code, i]))]),
) as Record<string, Map<string, number>>;

export const UNKNOWN_GENDER = 'SNOMEDCT261665006';

function mask(vocab: Vocabulary, key: string, text: string): number {
  let m = 0;
  for (const code of vocab.codes(key, text)) m |= 1 << (CODE_INDEX[key]?.get(code) ?? 0);
  return m;
}

interface StudyAcc {
  patient: number;
  patientId: string;
  modalities: number;
  bodyParts: number;
  manufacturers: number;
}

/**
 * Rebuilds `q_datasets` and `q_studies` from `files` and `clinical`. A study's patient-level values
 * come from the clinical row (gender falls back to DICOM PatientSex; age, year and diagnosis come
 * from the clinical row only); its masks are the union over its series, each key on its own.
 * Clinical rows without images produce no study, so they count for nothing.
 */
export function rebuildQueryTables(db: Db, datasets: DatasetFolder[], vocab: Vocabulary): void {
  db.exec('DELETE FROM q_datasets; DELETE FROM q_studies');
  const addDataset = db.prepare('INSERT INTO q_datasets (idx, folder, id, name, description) VALUES (?, ?, ?, ?, ?)');
  for (const [i, d] of datasets.entries()) addDataset.run(i, d.folder, d.id, d.name, d.description ?? null);
  const datasetIdx = new Map(datasets.map((d, i) => [d.folder, i]));
  const patientIds = new Map<string, number>();
  type Clinical = {
    dataset: string;
    patient_id: string;
    gender: string | null;
    age: number | null;
    diagnosis: string | null;
    year: number | null;
  };
  const clinical = new Map<string, Clinical>();
  for (const r of db.prepare('SELECT dataset, patient_id, gender, age, diagnosis, year FROM clinical').iterate() as Iterable<Clinical>)
    clinical.set(`${r.dataset}\u0000${r.patient_id}`, r);

  const studies = new Map<string, StudyAcc & { dataset: string }>();
  const dicomSex = new Map<string, string>();
  const rows = db
    .prepare('SELECT dataset, patient_id, study_uid, modality, body_part, manufacturer, patient_sex FROM files WHERE reason IS NULL')
    .raw()
    .iterate() as Iterable<[string, string, string, string, string, string, string]>;
  for (const [dataset, patientId, studyUid, modality, bodyPart, manufacturer, sex] of rows) {
    const key = `${dataset}\u0000${studyUid}`;
    let s = studies.get(key);
    if (!s) {
      let patient = patientIds.get(patientId);
      if (patient === undefined) {
        patient = patientIds.size;
        patientIds.set(patientId, patient);
      }
      s = { dataset, patient, patientId, modalities: 0, bodyParts: 0, manufacturers: 0 };
      studies.set(key, s);
    }
    s.modalities |= mask(vocab, CODED_KEYS.modality, modality);
    s.bodyParts |= mask(vocab, CODED_KEYS.bodyPart, bodyPart);
    s.manufacturers |= mask(vocab, CODED_KEYS.manufacturer, manufacturer);
    const pk = `${dataset}\u0000${patientId}`;
    if (sex && !dicomSex.has(pk)) dicomSex.set(pk, sex);
  }
  const genders = CODE_INDEX[CODED_KEYS.gender] as Map<string, number>;
  const diagnoses = CODE_INDEX[CODED_KEYS.diagnosis] as Map<string, number>;
  const add = db.prepare('INSERT OR IGNORE INTO q_studies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  for (const s of studies.values()) {
    const pk = `${s.dataset}\u0000${s.patientId}`;
    const c = clinical.get(pk);
    const gender = c?.gender ?? vocab.code(CODED_KEYS.gender, dicomSex.get(pk) ?? '') ?? UNKNOWN_GENDER;
    const diagnosis = c?.diagnosis ? (diagnoses.get(c.diagnosis) ?? null) : null;
    add.run(
      datasetIdx.get(s.dataset) ?? 0,
      s.patient,
      n++,
      genders.get(gender) ?? 3,
      c?.age ?? null,
      diagnosis,
      c?.year ?? null,
      s.modalities,
      s.bodyParts,
      s.manufacturers,
    );
  }
  // Tells query snapshots (query/snapshot.ts) that the query tables changed.
  setMeta(db, 'generation', `${Date.now()}-${n}-${Math.random()}`);
}
