import { and, asc, between, desc, eq, gte, inArray } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { Checkpoint } from '../../shared/tracer/checkpoint.ts';
import { type TraceEntry, entryHash, entryLeaf } from '../../shared/tracer/entry.ts';
import { fromHex, toHex } from '../../shared/tracer/hex.ts';
import { consistencyPath, inclusionPath, withFetchedNodes } from '../../shared/tracer/merkle.ts';
import { verifyConsistency, verifyInclusion } from '../../shared/tracer/merkle-verify.ts';
import { leafHex } from '../../shared/tracer/sha256.ts';
import type { Database } from '../db/client.ts';
import { fetchNodes } from './node-store.ts';
import { tracerCheckpoints, tracerEntries, tracerNodes } from './tracer.sql.ts';

/** The API's refusal to serve a log that does not verify: 409 naming the first bad entry it saw. */
export function inconsistent(seq: number, why: string): AppError {
  return new AppError('conflict', `the trace log does not verify: ${why}`, {
    code: 'log_inconsistent',
    consistent: false,
    firstBadSeq: seq,
  });
}

export async function treeSize(db: Database): Promise<number> {
  const [head] = await db.select({ seq: tracerEntries.seq }).from(tracerEntries).orderBy(desc(tracerEntries.seq)).limit(1);
  return head ? head.seq + 1 : 0;
}

export async function latestCheckpoint(db: Database): Promise<Checkpoint | undefined> {
  const [row] = await db.select().from(tracerCheckpoints).orderBy(desc(tracerCheckpoints.treeSize)).limit(1);
  return row;
}

export async function checkpointAt(db: Database, size: number): Promise<Checkpoint | undefined> {
  const [row] = await db.select().from(tracerCheckpoints).where(eq(tracerCheckpoints.treeSize, size));
  return row;
}

export async function listCheckpoints(db: Database, fromSize: number, limit: number): Promise<Checkpoint[]> {
  return db
    .select()
    .from(tracerCheckpoints)
    .where(gte(tracerCheckpoints.treeSize, fromSize))
    .orderBy(asc(tracerCheckpoints.treeSize))
    .limit(limit);
}

export async function inclusionProof(db: Database, seq: number, size: number): Promise<string[]> {
  const path = await withFetchedNodes(
    (get) => inclusionPath(seq, size, get),
    (nodes) => fetchNodes(db, nodes),
  );
  return path.map(toHex);
}

export async function consistencyProof(db: Database, from: number, to: number): Promise<string[]> {
  const path = await withFetchedNodes(
    (get) => consistencyPath(from, to, get),
    (nodes) => fetchNodes(db, nodes),
  );
  return path.map(toHex);
}

export type ServedIntegrity = { consistent: true } | { consistent: false; firstBadSeq: number; reason: string };

/**
 * The cheap check behind every served trace: its content still hashes to its stored hash, and that
 * hash is still the leaf the Merkle tree holds at its position (one indexed read for a page). A
 * rewrite that also recomputed the tree would still fail against the signed root (see `provenEntry`).
 */
export async function servedIntegrity(db: Database, entries: TraceEntry[]): Promise<ServedIntegrity> {
  if (entries.length === 0) return { consistent: true };
  const seqs = entries.map((e) => e.seq);
  const [low, high] = [Math.min(...seqs), Math.max(...seqs)];
  // A page read by position is one range of leaves: an index range scan, where a list of thousands
  // of values made planning and matching cost several times the hashing. Sparse pages (filters) list.
  const which = high - low < 2 * seqs.length ? between(tracerNodes.idx, low, high) : inArray(tracerNodes.idx, seqs);
  const leaves = await db
    .select({ idx: tracerNodes.idx, hash: tracerNodes.hash })
    .from(tracerNodes)
    .where(and(eq(tracerNodes.level, 0), which));
  const leafAt = new Map(leaves.map((l) => [l.idx, l.hash]));
  for (const e of entries) {
    if (entryHash(e) !== e.hash) return { consistent: false, firstBadSeq: e.seq, reason: `entry ${e.seq} does not match its hash` };
    if (leafAt.get(e.seq) !== leafHex(e.hash))
      return { consistent: false, firstBadSeq: e.seq, reason: `entry ${e.seq} is not the leaf the Merkle tree holds` };
  }
  return { consistent: true };
}

/** An entry with its inclusion proof against the latest checkpoint, checked before it is served. */
export async function provenEntry(db: Database, entry: TraceEntry, checkpoint: Checkpoint | undefined) {
  const integrity = await servedIntegrity(db, [entry]);
  if (!integrity.consistent) throw inconsistent(integrity.firstBadSeq, integrity.reason);
  if (!checkpoint || checkpoint.treeSize <= entry.seq) return { entry, inclusion: null };
  const proof = await inclusionProof(db, entry.seq, checkpoint.treeSize);
  const ok = verifyInclusion(entry.seq, checkpoint.treeSize, entryLeaf(entry.hash), proof.map(fromHex), fromHex(checkpoint.rootHash));
  if (!ok) throw inconsistent(entry.seq, `entry ${entry.seq} is not in the signed tree of size ${checkpoint.treeSize}`);
  return { entry, inclusion: { leafIndex: entry.seq, treeSize: checkpoint.treeSize, leafHash: leafHex(entry.hash), proof, checkpoint } };
}

/** A consistency proof, checked against both signed roots when both sizes are checkpoints. */
export async function checkedConsistency(db: Database, from: number, to: number) {
  const proof = await consistencyProof(db, from, to);
  const [a, b] = await Promise.all([checkpointAt(db, from), checkpointAt(db, to)]);
  if (a && b && !verifyConsistency(from, to, fromHex(a.rootHash), fromHex(b.rootHash), proof.map(fromHex))) {
    throw inconsistent(from, `the checkpoints ${from} and ${to} are not consistent`);
  }
  return { from, to, proof, fromCheckpoint: a ?? null, toCheckpoint: b ?? null };
}
