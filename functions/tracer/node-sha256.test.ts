import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../shared/tracer/hex.ts';
import { jsSha256, sha256, sha256Text, useSha256 } from '../../shared/tracer/sha256.ts';
import { useNodeSha256 } from './node-sha256.ts';

const encoder = new TextEncoder();

describe('SHA-256 from node:crypto', () => {
  afterEach(() => useSha256({ bytes: jsSha256, text: (s) => jsSha256(encoder.encode(s)) }));

  it('gives the published digest of "abc"', () => {
    useNodeSha256();
    expect(toHex(sha256Text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agrees with the JavaScript SHA-256 on every length around the block and size boundaries', () => {
    const data = crypto.getRandomValues(new Uint8Array(300));
    const text = 'entrée ✓ 𝄞 '.repeat(20);
    const expected = Array.from({ length: 300 }, (_, n) => toHex(jsSha256(data.subarray(0, n))));
    const expectedText = Array.from({ length: text.length }, (_, n) => toHex(jsSha256(encoder.encode(text.slice(0, n)))));
    useNodeSha256();
    expect(Array.from({ length: 300 }, (_, n) => toHex(sha256(data.subarray(0, n))))).toEqual(expected);
    expect(Array.from({ length: text.length }, (_, n) => toHex(sha256Text(text.slice(0, n))))).toEqual(expectedText);
  });
});
