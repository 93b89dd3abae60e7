import { basename } from 'node:path';
import type { DatasetUri } from '../../shared/processing/run.ts';
import type { Db } from '../index/schema.ts';

/**
 * The `eucaimdir` layout a tool sees under /input:
 * `<project>/<subject>/<experiment>/<scan_id>_<scan_type>/<file>`, built from the bridge's index
 * (project = dataset id, subject = PatientID, experiment = StudyInstanceUID, scan = SeriesInstanceUID
 * and Modality). Every name comes from DICOM headers someone else wrote, so each is reduced to a
 * safe file name: a PatientID of `../../etc` must not lead outside the sandbox.
 */
export function safeSegment(raw: string | null | undefined, fallback: string): string {
  const cleaned = (raw ?? '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  if (cleaned === '') return fallback;
  // A leading dot would hide the entry and allows `.`/`..`; the URI grammar refuses it too.
  return cleaned.startsWith('.') ? `_${cleaned.slice(1)}` : cleaned;
}

export interface PlannedFile {
  /** Path under the data folder, as the index records it. */
  source: string;
  /** Path under the run's input folder. */
  target: string;
}

export type InputPlan = { ok: true; files: PlannedFile[]; datasets: string[] } | { ok: false; problem: string };

interface FileRow {
  path: string;
  patient_id: string | null;
  study_uid: string | null;
  series_uid: string | null;
  modality: string | null;
}

/** Picks the indexed instances a run's inputs name and lays them out; unknown datasets are refused. */
export function planInputs(db: Db, uris: readonly DatasetUri[]): InputPlan {
  const folders = new Map(
    (db.prepare('SELECT id, folder FROM q_datasets').all() as { id: string; folder: string }[]).map((d) => [d.id, d.folder]),
  );
  const files = db.prepare(
    'SELECT path, patient_id, study_uid, series_uid, modality FROM files WHERE dataset = ? AND reason IS NULL ORDER BY path',
  );
  const planned = new Map<string, PlannedFile>();
  const usedNames = new Set<string>();
  // Header values repeat across a series and a study: clean each distinct value once.
  const cleaned = new Map<string, string>();
  const safe = (raw: string | null, fallback: string) => {
    const key = `${fallback}\u0000${raw ?? ''}`;
    const known = cleaned.get(key);
    if (known !== undefined) return known;
    const value = safeSegment(raw, fallback);
    cleaned.set(key, value);
    return value;
  };
  for (const uri of uris) {
    const folder = folders.get(uri.dataset);
    if (folder === undefined) return { ok: false, problem: `dataset ${uri.dataset} is not on this node` };
    const project = safeSegment(uri.dataset, 'dataset');
    let matched = 0;
    for (const row of files.all(folder) as FileRow[]) {
      const dirs = [
        safe(row.patient_id, 'unknown-subject'),
        safe(row.study_uid, 'unknown-experiment'),
        `${safe(row.series_uid, 'unknown-scan')}_${safe(row.modality, 'OT')}`,
      ];
      if (!uri.path.every((segment, i) => dirs[i] === segment)) continue;
      matched++;
      // Two URIs may overlap (a dataset and one of its subjects): each file is given once.
      if (planned.has(row.path)) continue;
      const dir = [project, ...dirs].join('/');
      let name = safeSegment(basename(row.path), 'file');
      for (let n = 1; usedNames.has(`${dir}/${name}`); n++) name = `${n}_${safeSegment(basename(row.path), 'file')}`;
      usedNames.add(`${dir}/${name}`);
      planned.set(row.path, { source: row.path, target: `${dir}/${name}` });
    }
    if (matched === 0) return { ok: false, problem: `nothing under ${[uri.dataset, ...uri.path].join('/')} on this node` };
  }
  return { ok: true, files: [...planned.values()], datasets: [...new Set(uris.map((u) => u.dataset))] };
}
