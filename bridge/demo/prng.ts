import { createHash } from 'node:crypto';

/**
 * Seeded randomness for demo data: the same seed must give byte-identical files on every machine,
 * so nothing here may touch Math.random or the clock.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededPrng(seed: string): Prng {
  // mulberry32 over a 32-bit state derived from a hash of the seed text.
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, maxInclusive: number) => min + Math.floor(next() * (maxInclusive - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
  };
}

/** A DICOM UID under the 2.25 (UUID-derived) root, deterministic from its name. */
export function deterministicUid(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

// RFC 4122 name-based UUIDs (version 5, SHA-1) in a namespace of our own.
const DATASET_NAMESPACE = 'c4c3e1a0-6f5b-4b7e-9d62-3f1e2a9b7d10';

export function uuidV5(name: string, namespace: string = DATASET_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
