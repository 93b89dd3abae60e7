import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../shared/tracer/hex.ts';
import { leafHash, nodeHash } from '../../shared/tracer/merkle.ts';
import { jsSha256, jsSha256Impl, leafHex, nodeHex, sha256, sha256TextHex, useSha256 } from '../../shared/tracer/sha256.ts';
import { useNodeSha256 } from './node-sha256.ts';

const encoder = new TextEncoder();

describe('SHA-256 from node:crypto', () => {
  afterEach(() => useSha256(jsSha256Impl));

  it('gives the published digest of "abc"', () => {
    useNodeSha256();
    expect(sha256TextHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agrees with the JavaScript SHA-256 on every length around the block and size boundaries', () => {
    const data = crypto.getRandomValues(new Uint8Array(300));
    const text = 'entrée ✓ 𝄞 '.repeat(20);
    const expected = Array.from({ length: 300 }, (_, n) => toHex(jsSha256(data.subarray(0, n))));
    const expectedText = Array.from({ length: text.length }, (_, n) => toHex(jsSha256(encoder.encode(text.slice(0, n)))));
    useNodeSha256();
    expect(Array.from({ length: 300 }, (_, n) => toHex(sha256(data.subarray(0, n))))).toEqual(expected);
    expect(Array.from({ length: text.length }, (_, n) => sha256TextHex(text.slice(0, n)))).toEqual(expectedText);
  });

  it('gives the RFC 6962 leaf and node hashes in hex, as the byte functions and the JavaScript implementation do', () => {
    const hashes = Array.from({ length: 20 }, () => toHex(crypto.getRandomValues(new Uint8Array(32))));
    const fromBytes = hashes.map((h, i) => [
      toHex(leafHash(Buffer.from(h, 'hex'))),
      toHex(nodeHash(Buffer.from(h, 'hex'), Buffer.from(hashes[(i + 1) % 20]!, 'hex'))),
    ]);
    const js = hashes.map((h, i) => [leafHex(h), nodeHex(h, hashes[(i + 1) % 20]!)]);
    useNodeSha256();
    const node = hashes.map((h, i) => [leafHex(h), nodeHex(h, hashes[(i + 1) % 20]!)]);
    expect(js).toEqual(fromBytes);
    expect(node).toEqual(fromBytes);
  });

  it('refuses to hash what is not a hex hash rather than hash part of it', () => {
    for (const use of [() => useSha256(jsSha256Impl), useNodeSha256]) {
      use();
      expect(() => leafHex('ab')).toThrow(/hex/);
      expect(() => leafHex(`${'0'.repeat(62)}zz`)).toThrow(/hex/);
      expect(() => nodeHex('0'.repeat(64), `x${'0'.repeat(63)}`)).toThrow(/hex/);
    }
  });
});
