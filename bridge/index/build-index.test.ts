import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageFields, writeImage, writePart10 } from '../demo/dicom-writer.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { buildIndex } from './build-index.ts';

const base: ImageFields = {
  sopInstanceUid: '2.25.1',
  studyDate: '20200101',
  acquisitionDate: '20200101',
  modality: 'CT',
  manufacturer: 'SIEMENS',
  patientId: 'P1',
  patientSex: 'M',
  patientAge: '070Y',
  bodyPart: 'CHEST',
  studyUid: '2.25.10',
  seriesUid: '2.25.100',
};

describe('buildIndex', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    const d = dir.path;
    await mkdir(join(d, 'P1', 's1'), { recursive: true });
    await mkdir(join(d, 'P2'), { recursive: true });
    const good = writeImage(base);
    await writeFile(join(d, 'P1', 's1', 'a.dcm'), good);
    await writeFile(join(d, 'P1', 's1', 'b.dcm'), writeImage({ ...base, sopInstanceUid: '2.25.2', seriesUid: '2.25.101', modality: 'PT' }));
    // A second copy of the same instance (an export artefact) must not count twice.
    await writeFile(join(d, 'P1', 's1', 'a-copy.dcm'), good);
    await writeFile(join(d, 'P2', 'c.dcm'), writeImage({ ...base, sopInstanceUid: '2.25.3', patientId: 'P2', patientSex: 'F', studyUid: '2.25.11', seriesUid: '2.25.102', modality: 'MR' }));
    // The bad ones, each next to good files.
    await writeFile(join(d, 'P1', 's1', 'empty.dcm'), new Uint8Array(0));
    await writeFile(join(d, 'P1', 's1', 'truncated.dcm'), good.subarray(0, 300));
    await writeFile(join(d, 'P2', 'notes.txt'), 'This is a text file, not DICOM.\n'.repeat(10));
    await writeFile(join(d, 'P2', 'tiny.bin'), 'short');
    const noPatient = writePart10({ sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '2.25.9', elements: [{ tag: 0x00080060, vr: 'CS', value: 'CT' }] });
    await writeFile(join(d, 'P2', 'no-patient.dcm'), noPatient);
    // Our own files at the top, and hidden litter, are not images and not bad files.
    await writeFile(join(d, 'dataset.json'), '{}');
    await writeFile(join(d, 'clinical.csv'), 'patient_id\nP1\n');
    await writeFile(join(d, '.DS_Store'), 'junk');
  });
  afterAll(() => dir.remove());

  it('indexes the good files and records each bad one with its reason', async () => {
    const index = await buildIndex(dir.path);
    const bad = Object.fromEntries(index.badFiles().map((b) => [b.path, b.reason]));
    expect(Object.keys(bad).sort()).toEqual(['P1/s1/empty.dcm', 'P1/s1/truncated.dcm', 'P2/no-patient.dcm', 'P2/notes.txt', 'P2/tiny.bin']);
    expect(bad['P1/s1/empty.dcm']).toBe('empty file');
    expect(bad['P1/s1/truncated.dcm']).toMatch(/^unreadable header: /);
    expect(bad['P2/notes.txt']).toBe('not DICOM Part 10 (no DICM prefix)');
    expect(bad['P2/tiny.bin']).toMatch(/too short/);
    expect(bad['P2/no-patient.dcm']).toBe('missing PatientID (0010,0020)');
    expect(index.summary()).toEqual({
      files: 9,
      instances: 3,
      patients: 2,
      studies: 2,
      series: 3,
      badFiles: 5,
      modalities: { CT: 1, PT: 1, MR: 1 },
    });
  });

  it('groups instances into studies and series with their header values', async () => {
    const index = await buildIndex(dir.path);
    const studies = [...index.studies()].sort((a, b) => a.uid.localeCompare(b.uid));
    expect(studies.map((s) => [s.patientId, s.patientSex, s.series.map((x) => `${x.modality}:${x.bodyPart}:${x.instances}`)])).toEqual([
      ['P1', 'M', ['CT:CHEST:1', 'PT:CHEST:1']],
      ['P2', 'F', ['MR:CHEST:1']],
    ]);
  });
});
