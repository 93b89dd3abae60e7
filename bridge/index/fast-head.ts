/**
 * A narrow, fast path for the common case: Explicit or Implicit VR Little Endian without
 * undefined-length sequences before the tags we need. Tags come in ascending order, so the scan stops
 * right after SeriesInstanceUID (0020,000E) — it never needs to reach Pixel Data. Anything unusual
 * answers `fallback` and dicom-parser takes over, so odd files keep its checks and error reasons.
 */
export type RawFields = Record<number, string>;
export type ScanResult = { fields: RawFields } | 'more' | 'fallback';

export const WANTED = new Set([
  0x00080005, 0x00080018, 0x00080020, 0x00080022, 0x00080060, 0x00080070, 0x00100020, 0x00100040, 0x00180015, 0x0020000d, 0x0020000e,
]);
const LAST_WANTED = 0x0020000e;
// VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 7.1.2).
const vrCode = (vr: string) => (vr.charCodeAt(0) << 8) | vr.charCodeAt(1);
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'].map(vrCode));
const isUpper = (b: number) => b >= 0x41 && b <= 0x5a;
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const UNDEFINED = 0xffffffff;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function text(bytes: Uint8Array, start: number, length: number, decoder: TextDecoder): string {
  // Values are padded with a space or NUL to even length: strip both, as dicom-parser does.
  let e = start + length;
  while (e > start && (bytes[e - 1] === 0 || bytes[e - 1] === 0x20)) e--;
  let b = start;
  while (b < e && bytes[b] === 0x20) b++;
  // Short Latin-1 values are built by hand: a decoder call costs more than the few characters.
  if (decoder === latin1 && e - b <= 64) {
    let out = '';
    for (let i = b; i < e; i++) out += String.fromCharCode(bytes[i] as number);
    return out;
  }
  return decoder.decode(bytes.subarray(b, e)).trim();
}

export function scanHead(bytes: Uint8Array): ScanResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let pos = 132;
  let transferSyntax = '';
  // File meta group: always explicit VR little endian.
  while (pos + 8 <= end && view.getUint16(pos, true) === 0x0002) {
    const long = LONG_VRS.has(((bytes[pos + 4] as number) << 8) | (bytes[pos + 5] as number));
    const length = long ? (pos + 12 <= end ? view.getUint32(pos + 8, true) : UNDEFINED) : view.getUint16(pos + 6, true);
    const valueAt = pos + (long ? 12 : 8);
    if (length === UNDEFINED || valueAt + length > end) return 'more';
    if (view.getUint16(pos + 2, true) === 0x0010) transferSyntax = text(bytes, valueAt, length, latin1);
    pos = valueAt + length;
  }
  const explicit = transferSyntax === EXPLICIT_LE;
  if (!explicit && transferSyntax !== IMPLICIT_LE) return 'fallback';
  const fields: RawFields = {};
  let decoder = latin1;
  for (;;) {
    if (pos + 8 > end) return 'more';
    const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    if (tag > LAST_WANTED) return { fields };
    let length: number;
    let valueAt: number;
    if (explicit) {
      const v0 = bytes[pos + 4] as number;
      const v1 = bytes[pos + 5] as number;
      if (!isUpper(v0) || !isUpper(v1)) return 'fallback';
      if (LONG_VRS.has((v0 << 8) | v1)) {
        if (pos + 12 > end) return 'more';
        length = view.getUint32(pos + 8, true);
        valueAt = pos + 12;
      } else {
        length = view.getUint16(pos + 6, true);
        valueAt = pos + 8;
      }
    } else {
      length = view.getUint32(pos + 4, true);
      valueAt = pos + 8;
    }
    if (length === UNDEFINED) return 'fallback';
    if (WANTED.has(tag)) {
      if (valueAt + length > end) return 'more';
      const value = text(bytes, valueAt, length, decoder);
      fields[tag] = value;
      // ISO_IR 192 is UTF-8; everything else we read is ASCII in practice, and latin1 keeps its bytes.
      if (tag === 0x00080005 && value.includes('ISO_IR 192')) decoder = utf8;
    }
    pos = valueAt + length;
  }
}
