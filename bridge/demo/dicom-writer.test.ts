import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomHead } from '../index/dicom-head.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { type ImageFields, TRANSFER_SYNTAX, writeImage } from './dicom-writer.ts';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof import('dicom-parser');

const fields: ImageFields = {
  sopInstanceUid: '2.25.1001',
  studyDate: '20210304',
  acquisitionDate: '20210305',
  modality: 'MR',
  manufacturer: 'GE MEDICAL SYSTEMS',
  patientId: 'PAT-0001',
  patientSex: 'F',
  patientAge: '061Y',
  bodyPart: 'Pelvis^Masculin',
  studyUid: '2.25.2002',
  seriesUid: '2.25.3003',
};

const expectedHead = {
  sopInstanceUid: '2.25.1001',
  patientId: 'PAT-0001',
  patientSex: 'F',
  studyUid: '2.25.2002',
  studyDate: '20210304',
  seriesUid: '2.25.3003',
  modality: 'MR',
  bodyPart: 'Pelvis^Masculin',
  manufacturer: 'GE MEDICAL SYSTEMS',
  acquisitionDate: '20210305',
};

describe('DICOM writer and head reader', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('writes a Part-10 file: preamble, DICM, explicit VR little endian meta, tags in order', () => {
    const bytes = writeImage(fields);
    expect(bytes.subarray(0, 128).every((b) => b === 0)).toBe(true);
    expect(bytes.toString('latin1', 128, 132)).toBe('DICM');
    const ds = dicomParser.parseDicom(bytes);
    expect(ds.string('x00020010')).toBe(TRANSFER_SYNTAX.explicitLittle);
    expect(ds.string('x00020002')).toBe('1.2.840.10008.5.1.4.1.1.4');
    expect(ds.uint16('x00280010')).toBe(4);
    expect(ds.elements.x7fe00010?.length).toBe(4 * 4 * 2);
    const order = Object.keys(ds.elements).filter((t) => !t.startsWith('x0002'));
    expect(order).toEqual([...order].sort());
    expect(order[0]).toBe('x00080016');
    expect(order.at(-1)).toBe('x7fe00010');
  });

  it('reads back every indexed field from a written file', async () => {
    const path = join(dir.path, 'plain.dcm');
    await writeFile(path, writeImage(fields));
    const head = await readDicomHead(path);
    expect(head.ok, JSON.stringify(head)).toBe(true);
    if (head.ok) expect(head.fields).toEqual(expectedHead);
  });

  it('reads a deflated file through the inflater', async () => {
    const path = join(dir.path, 'deflated.dcm');
    const bytes = writeImage({ ...fields, size: 64 }, { deflate: true });
    expect(dicomParser.parseDicom(bytes, { untilTag: 'x00020010' }).string('x00020010')).toBe(TRANSFER_SYNTAX.deflatedExplicitLittle);
    await writeFile(path, bytes);
    const head = await readDicomHead(path);
    expect(head.ok, JSON.stringify(head)).toBe(true);
    if (head.ok) expect(head.fields).toEqual(expectedHead);
  });

  it('stops before the pixels: a 512x512 image is indexed from its first 8 KiB', async () => {
    const path = join(dir.path, 'big.dcm');
    const bytes = writeImage({ ...fields, size: 512 });
    expect(bytes.length).toBeGreaterThan(512 * 512 * 2);
    await writeFile(path, bytes);
    const head = await readDicomHead(path);
    expect(head.ok).toBe(true);
    expect(head.bytesRead).toBe(8192);
  });

  it('reads further when the header is longer than the first read', async () => {
    const path = join(dir.path, 'long-header.dcm');
    // A long private element before PatientID: the reader must get past it to the tags it needs.
    const bytes = writeImage({ ...fields, size: 512, extra: [{ tag: 0x00091001, vr: 'OB', value: new Uint8Array(20_000).fill(7) }] });
    await writeFile(path, bytes);
    const head = await readDicomHead(path);
    expect(head.ok, JSON.stringify(head)).toBe(true);
    expect(head.bytesRead).toBeGreaterThan(20_000);
    expect(head.bytesRead).toBeLessThan(bytes.length);
    if (head.ok) expect(head.fields.manufacturer).toBe('GE MEDICAL SYSTEMS');
  });

  it('stops after the last tag it needs, however long the rest of the header', async () => {
    const path = join(dir.path, 'long-comments.dcm');
    const bytes = writeImage({ ...fields, size: 512, extra: [{ tag: 0x00204000, vr: 'UT', value: 'x'.repeat(20_000) }] });
    await writeFile(path, bytes);
    const head = await readDicomHead(path);
    expect(head.ok && head.fields.seriesUid).toBe(fields.seriesUid);
    expect(head.bytesRead).toBe(8192);
  });
});
