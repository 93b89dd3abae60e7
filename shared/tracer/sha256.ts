import { toHex, writeHex } from './hex.ts';

/**
 * SHA-256 in plain JavaScript, synchronous. Web crypto's digest is async: awaiting it three times
 * per entry (entry, leaf, tree node) makes verifying a million entries several times slower than
 * this loop, and the verifier must run in browsers and Workers too, so node:crypto is no option.
 */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((v) => v | 0);
const state = new Int32Array(8);
const pad = new Uint8Array(128);

// Module-level buffers and int32 arithmetic: allocation, not arithmetic, dominates small inputs.
function compress(block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + (i << 2);
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 =
      (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** SHA-256 of the given bytes, in JavaScript. Not re-entrant across threads, which JavaScript does not share. */
export function jsSha256(data: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) state[i] = H0[i]!;
  const full = data.length - (data.length % 64);
  for (let off = 0; off < full; off += 64) compress(data, off);
  const rest = data.length - full;
  const padLength = rest < 56 ? 64 : 128;
  pad.fill(0);
  pad.set(data.subarray(full));
  pad[rest] = 0x80;
  const bits = data.length * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  for (let i = 0; i < 4; i++) {
    pad[padLength - 8 + i] = (hi >>> (24 - i * 8)) & 255;
    pad[padLength - 4 + i] = (lo >>> (24 - i * 8)) & 255;
  }
  compress(pad, 0);
  if (padLength === 128) compress(pad, 64);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 255;
    out[i * 4 + 2] = (v >>> 8) & 255;
    out[i * 4 + 3] = v & 255;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * What the tracer needs hashed. Besides bytes in, bytes out, the verifier's hot path works on hex
 * strings end to end (the log spells every hash in hex): an implementation that can write hex out
 * directly spares a byte array per hash, which costs more than the hashing itself for small inputs.
 */
export interface Sha256Impl {
  bytes(b: Uint8Array): Uint8Array;
  /** SHA-256 of a string's UTF-8 bytes, in lower-case hex. */
  textHex(s: string): string;
  /**
   * SHA-256 over one prefix byte and the bytes the hex strings spell, in hex: an RFC 6962 leaf
   * (0x00 and an entry hash) or inner node (0x01 and two child hashes).
   */
  prefixedHex(prefix: number, a: string, b?: string): string;
}

const scratch = new Uint8Array(65);
function putHash(hex: string, offset: number): number {
  if (hex.length !== 64) throw new Error('not a hex hash');
  return writeHex(hex, scratch, offset);
}
function jsPrefixedHex(prefix: number, a: string, b?: string): string {
  scratch[0] = prefix;
  let end = putHash(a, 1);
  if (b !== undefined) end = putHash(b, end);
  return toHex(jsSha256(scratch.subarray(0, end)));
}

/** The JavaScript implementation every runtime has (browsers, Workers). */
export const jsSha256Impl: Sha256Impl = {
  bytes: jsSha256,
  textHex: (s) => toHex(jsSha256(encoder.encode(s))),
  prefixedHex: jsPrefixedHex,
};

/**
 * The implementation in use. The algorithm is fixed; a Node process may plug in node:crypto
 * (the hub on Node, the verifier CLI, the benchmark) because it is faster, and the tests check both agree.
 */
let impl: Sha256Impl = jsSha256Impl;

export function useSha256(native: Sha256Impl): void {
  impl = native;
}

export const sha256 = (data: Uint8Array): Uint8Array => impl.bytes(data);
/** SHA-256 of a string's UTF-8 bytes, in hex. */
export const sha256TextHex = (text: string): string => impl.textHex(text);
/** The RFC 6962 leaf hash of an entry hash, hex in and out. */
export const leafHex = (hash: string): string => impl.prefixedHex(0, hash);
/** The RFC 6962 hash of an inner node over two child hashes, hex in and out. */
export const nodeHex = (left: string, right: string): string => impl.prefixedHex(1, left, right);
