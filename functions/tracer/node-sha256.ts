import { hash } from 'node:crypto';
import { jsSha256, useSha256 } from '../../shared/tracer/sha256.ts';

/** Inputs up to two SHA-256 blocks: Merkle leaves (33 bytes) and inner nodes (65 bytes). */
const SMALL_INPUT = 119;

/**
 * Node only (the verifier CLI, the benchmark): SHA-256 from OpenSSL for the entry hashes of a whole
 * log, several times faster than the JavaScript one on entries. Merkle leaves and nodes stay in
 * JavaScript: for one or two blocks the call into OpenSSL costs more than the hashing (measured in
 * scripts/bench-tracer.ts). Same algorithm, same bytes out; a test checks both agree.
 */
export function useNodeSha256(): void {
  useSha256({
    bytes: (b) => (b.length <= SMALL_INPUT ? jsSha256(b) : new Uint8Array(hash('sha256', b, 'buffer'))),
    text: (s) => new Uint8Array(hash('sha256', s, 'buffer')),
  });
}
