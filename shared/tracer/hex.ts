const digits = '0123456789abcdef';
const nibble = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) nibble[digits.charCodeAt(i)] = i;

// Digits written as ASCII into one buffer and decoded once: a flat string, cheaper than 32 concatenations.
const ascii = Uint8Array.from(digits, (d) => d.charCodeAt(0));
const decoder = new TextDecoder();
const hashOut = new Uint8Array(64);
export function toHex(bytes: Uint8Array): string {
  const out = bytes.length === 32 ? hashOut : new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = ascii[bytes[i]! >> 4]!;
    out[2 * i + 1] = ascii[bytes[i]! & 15]!;
  }
  return decoder.decode(out);
}

/** Lower-case hex only: the one spelling hashes have in this log. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  writeHex(hex, out, 0);
  return out;
}

/** Writes the bytes lower-case `hex` spells into `out` at `offset`; answers the offset after them. */
export function writeHex(hex: string, out: Uint8Array, offset: number): number {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) {
    const hi = nibble[hex.charCodeAt(i * 2)] ?? -1;
    const lo = nibble[hex.charCodeAt(i * 2 + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new Error('not lower-case hex');
    out[offset + i] = (hi << 4) | lo;
  }
  return offset + n;
}

export const hexHashPattern = /^[0-9a-f]{64}$/;
