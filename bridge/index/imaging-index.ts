import type { HeadFields } from './dicom-head.ts';

export interface IndexedSeries {
  uid: string;
  modality: string;
  bodyPart: string;
  manufacturer: string;
  acquisitionDate: string;
  instances: number;
}

export interface IndexedStudy {
  uid: string;
  patientId: string;
  /** DICOM PatientSex (M, F, O or empty) as first seen on the study's instances. */
  patientSex: string;
  date: string;
  series: IndexedSeries[];
}

export interface BadFile {
  /** Path relative to the data folder. */
  path: string;
  reason: string;
}

export interface IndexSummary {
  files: number;
  instances: number;
  patients: number;
  studies: number;
  series: number;
  badFiles: number;
  /** Series per DICOM modality. */
  modalities: Record<string, number>;
}

/**
 * What the count evaluator needs from the imaging data: studies with their series. Kept this small so
 * the in-memory index can be swapped for the SQLite one without touching the evaluator.
 */
export interface ImagingIndex {
  studies(): Iterable<IndexedStudy>;
  badFiles(): readonly BadFile[];
  summary(): IndexSummary;
}

export class MemoryImagingIndex implements ImagingIndex {
  private readonly byStudy = new Map<string, IndexedStudy & { seriesByUid: Map<string, IndexedSeries> }>();
  private readonly seenInstances = new Set<string>();
  private readonly bad: BadFile[] = [];
  private files = 0;

  add(fields: HeadFields): void {
    this.files++;
    // The same instance copied twice (a common export artefact) must not count twice.
    if (this.seenInstances.has(fields.sopInstanceUid)) return;
    this.seenInstances.add(fields.sopInstanceUid);
    let study = this.byStudy.get(fields.studyUid);
    if (!study) {
      study = { uid: fields.studyUid, patientId: fields.patientId, patientSex: fields.patientSex, date: fields.studyDate, series: [], seriesByUid: new Map() };
      this.byStudy.set(fields.studyUid, study);
    }
    if (!study.patientSex && fields.patientSex) study.patientSex = fields.patientSex;
    let series = study.seriesByUid.get(fields.seriesUid);
    if (!series) {
      series = {
        uid: fields.seriesUid,
        modality: fields.modality,
        bodyPart: fields.bodyPart,
        manufacturer: fields.manufacturer,
        acquisitionDate: fields.acquisitionDate,
        instances: 0,
      };
      study.seriesByUid.set(fields.seriesUid, series);
      study.series.push(series);
    }
    series.instances++;
  }

  addBad(path: string, reason: string): void {
    this.files++;
    this.bad.push({ path, reason });
  }

  *studies(): Iterable<IndexedStudy> {
    for (const { seriesByUid: _, ...study } of this.byStudy.values()) yield study;
  }

  badFiles(): readonly BadFile[] {
    return this.bad;
  }

  summary(): IndexSummary {
    const patients = new Set<string>();
    const modalities: Record<string, number> = {};
    let series = 0;
    for (const study of this.byStudy.values()) {
      patients.add(study.patientId);
      for (const s of study.series) {
        series++;
        const key = s.modality || '(none)';
        modalities[key] = (modalities[key] ?? 0) + 1;
      }
    }
    return {
      files: this.files,
      instances: this.seenInstances.size,
      patients: patients.size,
      studies: this.byStudy.size,
      series,
      badFiles: this.bad.length,
      modalities,
    };
  }
}
