import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha3_256 } from './sha3.ts';

const reference = (data: Uint8Array | string) => createHash('sha3-256').update(data).digest('hex');

describe('sha3_256', () => {
  it('matches the FIPS 202 examples', () => {
    expect(sha3_256('')).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    expect(sha3_256('abc')).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });

  it.each([1, 135, 136, 137, 271, 272, 1000, 5000])('agrees with OpenSSL on %i bytes, across block boundaries', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
    expect(sha3_256(bytes)).toBe(reference(bytes));
  });

  it('hashes text as UTF-8', () => {
    expect(sha3_256('Ωmega ✓')).toBe(reference('Ωmega ✓'));
  });
});
