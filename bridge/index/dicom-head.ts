import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, inflateRawSync } from 'node:zlib';
import type { DataSet, ParseDicomOptions } from 'dicom-parser';
import { describeError } from '../logger.ts';
import { type RawFields, scanHead } from './fast-head.ts';

// dicom-parser is a webpack UMD bundle: Node's ESM loader sees no named exports, so load it as CJS.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof import('dicom-parser');

export interface HeadFields {
  sopInstanceUid: string;
  patientId: string;
  patientSex: string;
  studyUid: string;
  studyDate: string;
  seriesUid: string;
  modality: string;
  bodyPart: string;
  manufacturer: string;
  acquisitionDate: string;
}

export type HeadResult = { ok: true; fields: HeadFields; bytesRead: number } | { ok: false; reason: string; bytesRead: number };

export interface HeadOptions {
  initialBytes?: number;
  /** A header longer than this is treated as a bad file rather than read on and on. */
  maxBytes?: number;
}

const PIXEL_DATA = 'x7fe00010';

let sharedBuffer = Buffer.alloc(0);
function shared(size: number): Buffer {
  if (sharedBuffer.length !== size) sharedBuffer = Buffer.allocUnsafe(size);
  return sharedBuffer;
}

/**
 * Deflated files compress everything after the meta header, so the head we read ends mid-stream.
 * A sync flush inflates what is there instead of failing on the missing end; if that is not enough
 * for the parser, the caller reads more.
 */
const inflater = ((bytes: Uint8Array, position: number) =>
  Buffer.concat([
    bytes.subarray(0, position),
    inflateRawSync(bytes.subarray(position), { finishFlush: constants.Z_SYNC_FLUSH }),
  ])) as unknown as ParseDicomOptions['inflater'];

type Attempt = { dataSet: DataSet; complete: boolean } | { error: string };

function parseHead(bytes: Uint8Array): Attempt {
  try {
    const dataSet = dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA, inflater });
    return { dataSet, complete: true };
  } catch (err) {
    return { error: describeError(err) };
  }
}

function fieldsOf(ds: DataSet | RawFields): HeadFields | string {
  const s =
    typeof (ds as DataSet).string === 'function'
      ? (tag: string) => (ds as DataSet).string(tag)?.trim() ?? ''
      : (tag: string) => (ds as RawFields)[Number.parseInt(tag.slice(1), 16)] ?? '';
  const fields: HeadFields = {
    sopInstanceUid: s('x00080018'),
    patientId: s('x00100020'),
    patientSex: s('x00100040').toUpperCase(),
    studyUid: s('x0020000d'),
    studyDate: s('x00080020'),
    seriesUid: s('x0020000e'),
    modality: s('x00080060').toUpperCase(),
    bodyPart: s('x00180015'),
    manufacturer: s('x00080070'),
    acquisitionDate: s('x00080022'),
  };
  // Without these an instance cannot be attributed to a subject, study and series, so it cannot count.
  if (!fields.patientId) return 'missing PatientID (0010,0020)';
  if (!fields.studyUid) return 'missing StudyInstanceUID (0020,000D)';
  if (!fields.seriesUid) return 'missing SeriesInstanceUID (0020,000E)';
  if (!fields.sopInstanceUid) return 'missing SOPInstanceUID (0008,0018)';
  return fields;
}

/**
 * Reads the header of one DICOM Part-10 file without touching its pixels: first `initialBytes`, then
 * more (x4) only while the parser neither reached Pixel Data nor the end of the file. Synchronous on
 * purpose: for many small reads from the page cache it is several times faster than the thread pool;
 * the indexer yields to the event loop between batches instead.
 */
export function readDicomHead(path: string, opts: HeadOptions & { size?: number } = {}): HeadResult {
  const initial = opts.initialBytes ?? 8192;
  const max = opts.maxBytes ?? 32 * 1024 * 1024;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, reason: `cannot open: ${(err as NodeJS.ErrnoException).code ?? describeError(err)}`, bytesRead: 0 };
  }
  try {
    const size = opts.size ?? fstatSync(fd).size;
    if (size === 0) return { ok: false, reason: 'empty file', bytesRead: 0 };
    if (size < 132) return { ok: false, reason: `too short for DICOM Part 10 (${size} bytes)`, bytesRead: 0 };
    let want = Math.min(initial, size, max);
    for (;;) {
      // The first read reuses one buffer: this function is synchronous and keeps no reference to it.
      const buffer = want === initial ? shared(initial) : Buffer.allocUnsafe(want);
      const bytesRead = readSync(fd, buffer, 0, want, 0);
      const bytes = buffer.subarray(0, bytesRead);
      if (bytesRead < 132 || bytes.toString('latin1', 128, 132) !== 'DICM')
        return { ok: false, reason: 'not DICOM Part 10 (no DICM prefix)', bytesRead };
      const wholeFile = bytesRead >= size;
      const fast = scanHead(bytes);
      if (typeof fast === 'object') {
        const fields = fieldsOf(fast.fields);
        return typeof fields === 'string' ? { ok: false, reason: fields, bytesRead } : { ok: true, fields, bytesRead };
      }
      if (fast === 'more' && !wholeFile && want < max) {
        want = Math.min(size, want * 4, max);
        continue;
      }
      const attempt = parseHead(bytes);
      if ('dataSet' in attempt && (wholeFile || attempt.dataSet.elements[PIXEL_DATA])) {
        const fields = fieldsOf(attempt.dataSet);
        return typeof fields === 'string' ? { ok: false, reason: fields, bytesRead } : { ok: true, fields, bytesRead };
      }
      if (wholeFile) return { ok: false, reason: `unreadable header: ${'error' in attempt ? attempt.error : 'incomplete'}`, bytesRead };
      if (want >= max) return { ok: false, reason: `header longer than ${max} bytes`, bytesRead };
      want = Math.min(size, want * 4, max);
    }
  } catch (err) {
    return { ok: false, reason: `read failed: ${describeError(err)}`, bytesRead: 0 };
  } finally {
    closeSync(fd);
  }
}
