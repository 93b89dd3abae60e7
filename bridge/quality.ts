import type { Db } from './index/schema.ts';
import type { Vocabulary } from './query/vocabulary.ts';

/** What a data holder should fix so that their data counts fully in federated searches. */
export interface QualityReport {
  instances: number;
  /** Instances missing each searched header (a missing PatientID makes the file unusable: see bad files). */
  missing: { field: string; instances: number; examples: string[] }[];
  /** Values that map to no catalogue code, with how often they occur. */
  unmapped: { source: string; value: string; count: number }[];
  clinicalRowsWithoutImages: { dataset: string; patientId: string }[];
  patientsWithoutClinicalRow: { dataset: string; patientId: string }[];
  badFiles: { path: string; reason: string }[];
}

const FIELDS = [
  ['Modality', 'modality'],
  ['BodyPartExamined', 'body_part'],
  ['Manufacturer', 'manufacturer'],
  ['AcquisitionDate', 'acquisition_date'],
] as const;

/** The DICOM header behind each series-level key of the key table. */
const HEADER_OF: Record<string, string> = { modality: 'Modality', body_part: 'BodyPartExamined', manufacturer: 'Manufacturer' };

export function qualityReport(db: Db, vocab: Vocabulary): QualityReport {
  const ok = 'FROM files WHERE reason IS NULL';
  const instances = (db.prepare(`SELECT count(*) AS n ${ok}`).get() as { n: number }).n;
  const badFiles = db.prepare('SELECT path, reason FROM files WHERE reason IS NOT NULL ORDER BY path').all() as QualityReport['badFiles'];
  const noPatient = badFiles.filter((b) => b.reason.startsWith('missing PatientID'));
  const missing = [
    { field: 'PatientID', instances: noPatient.length, examples: noPatient.slice(0, 5).map((b) => b.path) },
    ...FIELDS.map(([field, column]) => {
      const paths = db.prepare(`SELECT path ${ok} AND coalesce(${column}, '') = '' ORDER BY path`).pluck().all() as string[];
      return { field, instances: paths.length, examples: paths.slice(0, 5) };
    }),
  ];
  const unmapped: QualityReport['unmapped'] = [];
  for (const k of vocab.keys.series) {
    const column = k.dicom as string;
    const [source, key] = [HEADER_OF[column] ?? column, k.key];
    const values = db
      .prepare(`SELECT ${column} AS value, count(*) AS n ${ok} AND coalesce(${column}, '') != '' GROUP BY ${column} ORDER BY ${column}`)
      .all() as {
      value: string;
      n: number;
    }[];
    for (const v of values) if (vocab.codes(key, v.value).length === 0) unmapped.push({ source, value: v.value, count: v.n });
  }
  for (const u of db.prepare('SELECT col, value, count(*) AS n FROM clinical_unmapped GROUP BY col, value ORDER BY col, value').all() as {
    col: string;
    value: string;
    n: number;
  }[])
    unmapped.push({ source: `clinical ${u.col}`, value: u.value, count: u.n });
  const pairs = (sql: string) =>
    (db.prepare(sql).all() as { dataset: string; patientId: string }[]).map((r) => ({ dataset: r.dataset, patientId: r.patientId }));
  return {
    instances,
    missing,
    unmapped,
    clinicalRowsWithoutImages: pairs(`SELECT dataset, patient_id AS patientId FROM clinical c
      WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.reason IS NULL AND f.dataset = c.dataset AND f.patient_id = c.patient_id) ORDER BY dataset, patient_id`),
    patientsWithoutClinicalRow: pairs(`SELECT DISTINCT dataset, patient_id AS patientId FROM files f WHERE reason IS NULL
      AND NOT EXISTS (SELECT 1 FROM clinical c WHERE c.dataset = f.dataset AND c.patient_id = f.patient_id) ORDER BY dataset, patient_id`),
    badFiles,
  };
}

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** One row per finding, for a spreadsheet: section, dataset, item, detail, count. */
export function qualityCsv(r: QualityReport): string {
  const rows: (string | number)[][] = [['section', 'dataset', 'item', 'detail', 'count']];
  for (const m of r.missing) rows.push(['missing header', '', m.field, m.examples.join(' '), m.instances]);
  for (const u of r.unmapped) rows.push(['unmapped value', '', u.source, u.value, u.count]);
  for (const c of r.clinicalRowsWithoutImages) rows.push(['clinical row without images', c.dataset, c.patientId, '', 1]);
  for (const p of r.patientsWithoutClinicalRow) rows.push(['patient without clinical row', p.dataset, p.patientId, '', 1]);
  for (const b of r.badFiles) rows.push(['bad file', b.path.split('/')[0] ?? '', b.path, b.reason, 1]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}
