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
