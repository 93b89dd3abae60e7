import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { toHex } from './hex.ts';
import { consistencyPath, inclusionPath, leafHash, nodeHash, rangeHash, splitPoint } from './merkle.ts';
import { verifyConsistency, verifyInclusion } from './merkle-verify.ts';
import { sha256 } from './sha256.ts';
import { MerkleFrontier, PerfectTree } from './tree-builder.ts';

// The RFC 6962 definition, recursively and with node:crypto: what the stored-subtree code must equal.
const h = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return h(Uint8Array.of(0), leaves[0]!);
  const k = splitPoint(leaves.length);
  return h(Uint8Array.of(1), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const data = Array.from({ length: 70 }, (_, i) => new TextEncoder().encode(`entry ${i}`));
const tree = new PerfectTree();
for (const d of data) tree.push(leafHash(d));
const root = (n: number) => rangeHash(0, n, tree.get);

describe('SHA-256 and canonical JSON', () => {
  it.each([0, 1, 55, 56, 64, 65, 200, 4097])('hashes %i bytes as node:crypto does', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
    expect(toHex(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('sorts members by code unit, drops undefined and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [1e21, 0.5, -0], a: 'é\n', c: undefined, B: null })).toBe('{"B":null,"a":"é\\n","b":[1e+21,0.5,0]}');
  });
});

describe('Merkle tree from stored perfect subtrees', () => {
  it('gives the RFC 6962 root for every size', () => {
    for (let n = 1; n <= data.length; n++) expect(toHex(root(n)), `size ${n}`).toBe(toHex(referenceRoot(data.slice(0, n))));
  });

  it("keeps only the frontier in the verifier's tree and still gives the RFC 6962 root for every size", () => {
    const frontier = new MerkleFrontier();
    for (const [i, d] of data.entries()) {
      frontier.push(toHex(leafHash(d)));
      expect(frontier.root(), `size ${i + 1}`).toBe(toHex(referenceRoot(data.slice(0, i + 1))));
    }
  });

  it('proves inclusion of every leaf and refuses an altered proof, leaf or size', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 31, 64, 70]) {
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(m, n, tree.get);
        const leaf = leafHash(data[m]!);
        expect(verifyInclusion(m, n, leaf, path, root(n)), `${m} in ${n}`).toBe(true);
        if (path.length > 0) {
          const altered = path.map((p, i) => (i === 0 ? nodeHash(p, p) : p));
          expect(verifyInclusion(m, n, leaf, altered, root(n))).toBe(false);
        }
        expect(verifyInclusion(m, n, leafHash(data[(m + 1) % 70]!), path, root(n))).toBe(false);
      }
    }
  });

  it('proves every prefix consistent with every larger tree and refuses altered proofs', () => {
    for (let m = 1; m <= 40; m++) {
      for (const n of [m, m + 1, 41, 64, 70]) {
        if (n < m) continue;
        const path = consistencyPath(m, n, tree.get);
        expect(verifyConsistency(m, n, root(m), root(n), path), `${m} -> ${n}`).toBe(true);
        if (m !== n) {
          expect(verifyConsistency(m, n, root(m), root(n), path.slice(1))).toBe(false);
          expect(verifyConsistency(m, n, nodeHash(root(m), root(m)), root(n), path)).toBe(false);
        }
      }
    }
  });
});

describe('entry encoding', () => {
  it('writes the same canonical JSON on the fast path as the generic encoder', async () => {
    const { entryCanonical } = await import('./entry.ts');
    const content = {
      seq: 12,
      id: '5f0c7a8e-0000-4000-8000-000000000001',
      timestamp: '2026-01-01T00:00:00.000Z',
      submitter: 'node:a',
      userId: 'ü"\\x',
      userAction: 'USE_DATASETS' as const,
      datasetIds: ['b', 'a'],
      payload: { z: 1, a: [true, null, 'q\n'], m: { y: 2.5, b: 'x' } },
      prevHash: '0'.repeat(64),
    };
    expect(entryCanonical(content)).toBe(canonicalJson(content));
    expect(entryCanonical({ ...content, hash: 'f'.repeat(64) })).toBe(canonicalJson(content));
  });
});
