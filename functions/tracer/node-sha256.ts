import { hash } from 'node:crypto';
import { jsSha256, useSha256 } from '../../shared/tracer/sha256.ts';

/** Inputs up to two SHA-256 blocks: Merkle leaves (33 bytes) and inner nodes (65 bytes). */
const SMALL_INPUT = 119;

// One buffer for Merkle leaves and nodes: writing hex into it and asking for hex back allocates no
// Buffer per hash, which is what makes node:crypto cheaper than JavaScript even for one block.
const scratch = Buffer.alloc(65);
const leafInput = scratch.subarray(0, 33);
function put(hex: string, offset: number): void {
  if (hex.length !== 64 || scratch.write(hex, offset, 32, 'hex') !== 32) throw new Error('not a hex hash');
}

/**
 * Node only (the hub on Node, the verifier CLI, the benchmark): SHA-256 from OpenSSL. Per call the
 * cost is mostly the way in and out, not the hashing (SHA extensions): hex strings out cost half
 * what a new Buffer does, and byte-array results for one or two blocks stay in JavaScript
 * (`npm run bench:tracer` measures each step). Same algorithm, same bytes out; a test checks all agree.
 */
export function useNodeSha256(): void {
  useSha256({
    bytes: (b) => (b.length <= SMALL_INPUT ? jsSha256(b) : new Uint8Array(hash('sha256', b, 'buffer'))),
    textHex: (s) => hash('sha256', s, 'hex'),
    prefixedHex: (prefix, a, b) => {
      scratch[0] = prefix;
      put(a, 1);
      if (b === undefined) return hash('sha256', leafInput, 'hex');
      put(b, 33);
      return hash('sha256', scratch, 'hex');
    },
  });
}
