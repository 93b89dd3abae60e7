import { deflateRawSync } from 'node:zlib';

/**
 * A deliberately small DICOM Part-10 writer for synthetic demo and test data: explicit VR little
 * endian (optionally deflated), a handful of VRs, no sequences. It exists so the bridge can make its
 * own corpora offline; it is not a general-purpose DICOM toolkit.
 */
export type Vr = 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN' | 'SH' | 'TM' | 'UI' | 'UL' | 'US' | 'UT';

export interface DicomElement {
  /** Group and element as one number, e.g. 0x00100020 for PatientID. */
  tag: number;
  vr: Vr;
  value: string | number[] | Uint8Array;
}

export const TRANSFER_SYNTAX = {
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
} as const;

const IMPLEMENTATION_CLASS_UID = '2.25.279406574218465917331851264893421570051';
// VRs whose length field is 4 bytes after 2 reserved bytes (PS3.5 7.1.2).
const LONG_LENGTH_VRS = new Set<Vr>(['OB', 'OW', 'UT']);

function valueBytes(el: DicomElement): Buffer {
  const { vr, value } = el;
  if (value instanceof Uint8Array) return padEven(Buffer.from(value), 0);
  if (Array.isArray(value)) {
    const size = vr === 'UL' ? 4 : 2;
    if (vr !== 'UL' && vr !== 'US') throw new Error(`numeric value given for VR ${vr}`);
    const out = Buffer.alloc(value.length * size);
    for (const [i, n] of value.entries()) {
      if (size === 4) out.writeUInt32LE(n, i * 4);
      else out.writeUInt16LE(n, i * 2);
    }
    return out;
  }
  // UIDs pad with NUL, text with a space (PS3.5 6.2).
  return padEven(Buffer.from(value, 'latin1'), vr === 'UI' ? 0 : 0x20);
}

function padEven(bytes: Buffer, pad: number): Buffer {
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([pad])]);
}

function encodeElement(el: DicomElement): Buffer {
  const value = valueBytes(el);
  const long = LONG_LENGTH_VRS.has(el.vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(el.tag >>> 16, 0);
  head.writeUInt16LE(el.tag & 0xffff, 2);
  head.write(el.vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else if (value.length > 0xffff) throw new Error(`value of ${el.tag.toString(16)} too long for VR ${el.vr}`);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

function encodeAll(elements: DicomElement[]): Buffer {
  // Part 10 requires ascending tag order; sorting here keeps callers from having to care.
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  return Buffer.concat(sorted.map(encodeElement));
}

export interface Part10Input {
  sopClassUid: string;
  sopInstanceUid: string;
  /** Dataset elements (group 0008 and up); the writer adds the group 0002 meta header. */
  elements: DicomElement[];
  deflate?: boolean;
}

export function writePart10(input: Part10Input): Buffer {
  const transferSyntax = input.deflate ? TRANSFER_SYNTAX.deflatedExplicitLittle : TRANSFER_SYNTAX.explicitLittle;
  const meta = encodeAll([
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.from([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: input.sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: input.sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: transferSyntax },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'EUCAIM_BRIDGE' },
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: [meta.length] });
  const dataset = encodeAll([
    { tag: 0x00080016, vr: 'UI', value: input.sopClassUid },
    { tag: 0x00080018, vr: 'UI', value: input.sopInstanceUid },
    ...input.elements.filter((e) => e.tag !== 0x00080016 && e.tag !== 0x00080018),
  ]);
  const body = input.deflate ? deflateRawSync(dataset) : dataset;
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'latin1');
  return Buffer.concat([preamble, groupLength, meta, body]);
}

export const SOP_CLASS = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  PT: '1.2.840.10008.5.1.4.1.1.128',
  NM: '1.2.840.10008.5.1.4.1.1.20',
} as const;

export interface ImageFields {
  sopInstanceUid: string;
  studyDate: string;
  acquisitionDate: string;
  modality: keyof typeof SOP_CLASS;
  manufacturer: string;
  patientId: string;
  patientSex: string;
  patientAge: string;
  bodyPart: string;
  studyUid: string;
  seriesUid: string;
  /** Edge length of the square 16-bit image; tiny by default, since only the header matters here. */
  size?: number;
  extra?: DicomElement[];
}

/** A minimal but well-formed single-frame image instance with the header fields the index reads. */
export function writeImage(f: ImageFields, opts: { deflate?: boolean } = {}): Buffer {
  const size = f.size ?? 4;
  return writePart10({
    sopClassUid: SOP_CLASS[f.modality],
    sopInstanceUid: f.sopInstanceUid,
    deflate: opts.deflate,
    elements: [
      { tag: 0x00080020, vr: 'DA', value: f.studyDate },
      { tag: 0x00080022, vr: 'DA', value: f.acquisitionDate },
      { tag: 0x00080060, vr: 'CS', value: f.modality },
      { tag: 0x00080070, vr: 'LO', value: f.manufacturer },
      { tag: 0x00100020, vr: 'LO', value: f.patientId },
      { tag: 0x00100040, vr: 'CS', value: f.patientSex },
      { tag: 0x00101010, vr: 'AS', value: f.patientAge },
      { tag: 0x00180015, vr: 'CS', value: f.bodyPart },
      { tag: 0x0020000d, vr: 'UI', value: f.studyUid },
      { tag: 0x0020000e, vr: 'UI', value: f.seriesUid },
      { tag: 0x00280002, vr: 'US', value: [1] },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: [size] },
      { tag: 0x00280011, vr: 'US', value: [size] },
      { tag: 0x00280100, vr: 'US', value: [16] },
      { tag: 0x00280101, vr: 'US', value: [12] },
      { tag: 0x00280102, vr: 'US', value: [11] },
      { tag: 0x00280103, vr: 'US', value: [0] },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(size * size * 2) },
      ...(f.extra ?? []),
    ],
  });
}
