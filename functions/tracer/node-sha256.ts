import { hash } from 'node:crypto';
import { useSha256 } from '../../shared/tracer/sha256.ts';

/**
 * Node only (the verifier CLI, the benchmark): SHA-256 from OpenSSL, several times faster than the
 * JavaScript one for the entry hashes of a whole log. Same algorithm, same bytes out.
 */
export function useNodeSha256(): void {
  useSha256({
    bytes: (b) => new Uint8Array(hash('sha256', b, 'buffer')),
    text: (s) => new Uint8Array(hash('sha256', s, 'buffer')),
  });
}
