import { sha256 } from './sha256.ts';

/**
 * RFC 6962 Merkle tree hashing and proofs. Proofs are computed from complete ("perfect") subtrees:
 * aligned ranges of 2^level leaves, addressed as (level, index). Once a perfect subtree is complete
 * its hash never changes, so the hub stores them and answers any proof with O(log n) lookups.
 */
export interface PerfectNode {
  level: number;
  index: number;
}
/** Hash of the perfect subtree at (level, index); throws when it is unknown. */
export type NodeSource = (level: number, index: number) => Uint8Array;

// Leaves are almost always entry hashes: one reused buffer spares an allocation per entry (sha256 is synchronous).
const leafBuf = new Uint8Array(33);
export function leafHash(data: Uint8Array): Uint8Array {
  if (data.length === 32) {
    leafBuf[0] = 0;
    leafBuf.set(data, 1);
    return sha256(leafBuf);
  }
  const buf = new Uint8Array(data.length + 1);
  buf[0] = 0;
  buf.set(data, 1);
  return sha256(buf);
}

const nodeBuf = new Uint8Array(65);
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeBuf[0] = 1;
  nodeBuf.set(left, 1);
  nodeBuf.set(right, 33);
  return sha256(nodeBuf);
}

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The perfect subtrees that make up the range [start, end), left to right, as RFC 6962 splits it. */
export function rangeNodes(start: number, end: number): PerfectNode[] {
  const out: PerfectNode[] = [];
  let a = start;
  while (a < end) {
    const n = end - a;
    // A range whose size is a power of two is itself one perfect subtree; otherwise split as RFC 6962 does.
    const size = (n & (n - 1)) === 0 ? n : splitPoint(n);
    const level = Math.log2(size);
    out.push({ level, index: a / size });
    a += size;
  }
  return out;
}

/** MTH(D[start:end]) from stored perfect subtrees: fold the decomposition from the right. */
export function rangeHash(start: number, end: number, get: NodeSource): Uint8Array {
  const parts = rangeNodes(start, end);
  let h = get(parts[parts.length - 1]!.level, parts[parts.length - 1]!.index);
  for (let i = parts.length - 2; i >= 0; i--) h = nodeHash(get(parts[i]!.level, parts[i]!.index), h);
  return h;
}

/** Inclusion proof (audit path) of leaf m in the tree of the first n leaves. */
export function inclusionPath(m: number, n: number, get: NodeSource): Uint8Array[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of size ${n}`);
  const path: Uint8Array[] = [];
  let start = 0;
  let end = n;
  let index = m;
  // Iterative PATH(m, D[start:end]): the sibling hashes are collected top-down, the proof lists them bottom-up.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < k) {
      path.push(rangeHash(start + k, end, get));
      end = start + k;
    } else {
      path.push(rangeHash(start, start + k, get));
      start += k;
      index -= k;
    }
  }
  return path.reverse();
}

/** Consistency proof that the tree of size m is a prefix of the tree of size n (0 < m <= n). */
export function consistencyPath(m: number, n: number, get: NodeSource): Uint8Array[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: Uint8Array[] = [];
  let start = 0;
  let size = n;
  let mm = m;
  let complete = true;
  while (mm !== size) {
    const k = splitPoint(size);
    if (mm <= k) {
      out.push(rangeHash(start + k, start + size, get));
      size = k;
    } else {
      out.push(rangeHash(start, start + k, get));
      start += k;
      size -= k;
      mm -= k;
      complete = false;
    }
  }
  if (!complete) out.push(rangeHash(start, start + size, get));
  return out.reverse();
}

/**
 * Runs a proof computation twice: once to learn which stored subtrees it reads, then with them
 * fetched in one batch. Keeps the proof code free of I/O and the database to one query.
 */
export async function withFetchedNodes<T>(
  compute: (get: NodeSource) => T,
  fetch: (nodes: PerfectNode[]) => Promise<Map<string, Uint8Array>>,
): Promise<T> {
  const wanted = new Map<string, PerfectNode>();
  const dummy = new Uint8Array(32);
  compute((level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return dummy;
  });
  const found = await fetch([...wanted.values()]);
  return compute((level, index) => {
    const h = found.get(`${level}:${index}`);
    if (!h) throw new Error(`subtree ${level}:${index} is missing`);
    return h;
  });
}
