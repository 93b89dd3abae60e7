const digits = '0123456789abcdef';
const table: string[] = Array.from({ length: 256 }, (_, i) => digits[i >> 4]! + digits[i & 15]!);
const nibble = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) nibble[digits.charCodeAt(i)] = i;

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += table[bytes[i]!];
  return s;
}

/** Lower-case hex only: the one spelling hashes have in this log. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble[hex.charCodeAt(i * 2)] ?? -1;
    const lo = nibble[hex.charCodeAt(i * 2 + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error('not lower-case hex');
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export const hexHashPattern = /^[0-9a-f]{64}$/;

const codes = Array.from(digits, (d) => d.charCodeAt(0));

/** Whether `hex` spells exactly these bytes in lower-case hex, without building a string per entry. */
export function hexEquals(bytes: Uint8Array, hex: string): boolean {
  if (hex.length !== bytes.length * 2) return false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (hex.charCodeAt(i * 2) !== codes[b >> 4] || hex.charCodeAt(i * 2 + 1) !== codes[b & 15]) return false;
  }
  return true;
}
