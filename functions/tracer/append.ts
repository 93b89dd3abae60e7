import { desc, sql } from 'drizzle-orm';
import { splitInput, type TraceInput } from '../../shared/tracer/actions.ts';
import { GENESIS_HASH, type TraceEntry, entryHash, entryLeaf } from '../../shared/tracer/entry.ts';
import { toHex } from '../../shared/tracer/hex.ts';
import { rangeHash } from '../../shared/tracer/merkle.ts';
import { PerfectTree, type StoredNode } from '../../shared/tracer/tree-builder.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import { fetchNodes } from './node-store.ts';
import { insertEntriesAndNodes } from './row-insert.ts';
import { tracerCheckpoints, tracerEntries } from './tracer.sql.ts';

/** One log per database: every append of every hub instance takes this transaction-scoped lock. */
export const TRACER_LOCK_KEY = 0x7472_6163; // "trac"

export interface PendingTrace {
  input: TraceInput;
  /** `hub` or `node:<id>`. */
  submitter: string;
}

export interface AppendDeps {
  db: Database;
  clock: Clock;
  signer: CheckpointSigner;
  checkpointEvery: number;
  checkpointSeconds: number;
}

/**
 * What one appender remembers between batches: the head and the Merkle frontier it left behind,
 * and the last checkpoint it saw. Checked against the head under the lock each time (another
 * instance may have appended since), so a stale cache costs a reload, never a fork.
 */
export interface AppendState {
  head?: { size: number; hash: string; frontier: StoredNode[] };
  lastCheckpoint?: { treeSize: number; timestamp: string };
}

/**
 * Appends a batch in one transaction under the advisory lock: reads the head (and, when another
 * instance moved it, the Merkle frontier: O(log n) rows), hashes the new entries onto the chain,
 * stores them with every subtree they complete in one statement and, when due, a signed
 * checkpoint. Holders of the lock never see a stale head, so the chain cannot fork or skip.
 */
export async function appendBatch(deps: AppendDeps, items: PendingTrace[], state: AppendState = {}): Promise<TraceEntry[]> {
  const { entries, tree, checkpoint } = await deps.db.transaction(async (tx) => {
    const { tree, headHash } = await lockedHead(tx as unknown as Database, state);
    let prevHash = headHash;
    const timestamp = deps.clock.now().toISOString();
    const entries: TraceEntry[] = [];
    const nodes: { level: number; idx: number; hash: string }[] = [];
    for (const item of items) {
      const { userId, userAction, datasetIds, payload } = splitInput(item.input);
      const content = { seq: tree.size, id: crypto.randomUUID(), timestamp, submitter: item.submitter, userId, userAction, datasetIds, payload, prevHash };
      const entry: TraceEntry = { ...content, hash: entryHash(content) };
      for (const n of tree.push(entryLeaf(entry.hash))) nodes.push({ level: n.level, idx: n.index, hash: toHex(n.hash) });
      entries.push(entry);
      prevHash = entry.hash;
    }
    await tx.execute(insertEntriesAndNodes(entries, nodes));
    const checkpoint = await checkpointIfDue(deps, tx as unknown as Database, tree, timestamp, state);
    return { entries, tree, checkpoint };
  });
  // Only after the commit: a rolled-back batch must not move the remembered head.
  const last = entries[entries.length - 1]!;
  state.head = { size: tree.size, hash: last.hash, frontier: PerfectTree.frontierOf(tree.size).map((n) => ({ ...n, hash: tree.get(n.level, n.index) })) };
  if (checkpoint) state.lastCheckpoint = checkpoint;
  return entries;
}

/** Takes the log's lock and loads the head hash and the Merkle frontier (O(log n) rows) unless remembered. */
async function lockedHead(tx: Database, state: AppendState): Promise<{ tree: PerfectTree; headHash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${TRACER_LOCK_KEY})`);
  const [head] = await tx.select({ seq: tracerEntries.seq, hash: tracerEntries.hash }).from(tracerEntries).orderBy(desc(tracerEntries.seq)).limit(1);
  const size = head ? head.seq + 1 : 0;
  const cached = state.head;
  if (cached && head && cached.size === size && cached.hash === head.hash) return { tree: new PerfectTree(size, cached.frontier), headHash: head.hash };
  const frontierNodes = PerfectTree.frontierOf(size);
  const known = await fetchNodes(tx, frontierNodes);
  const tree = new PerfectTree(
    size,
    frontierNodes.map((n) => ({ ...n, hash: known.get(`${n.level}:${n.index}`) ?? missing(n) })),
  );
  return { tree, headHash: head?.hash ?? GENESIS_HASH };
}

function missing(n: { level: number; index: number }): never {
  throw new Error(`tracer: Merkle subtree ${n.level}:${n.index} is missing; the log needs an audit`);
}

/** Publishes a checkpoint when N entries or T seconds have passed since the last one. */
async function checkpointIfDue(deps: AppendDeps, tx: Database, tree: PerfectTree, timestamp: string, state: AppendState = {}) {
  if (!deps.signer.publicKey || tree.size === 0) return undefined;
  // Remembered from the last batch: another instance's newer checkpoint only makes this one early, never late.
  const last = state.lastCheckpoint ?? (await tx.select().from(tracerCheckpoints).orderBy(desc(tracerCheckpoints.treeSize)).limit(1))[0];
  const grown = tree.size - (last?.treeSize ?? 0);
  const age = last ? deps.clock.now().getTime() - Date.parse(last.timestamp) : Number.POSITIVE_INFINITY;
  if (grown <= 0 || (grown < deps.checkpointEvery && age < deps.checkpointSeconds * 1000)) {
    if (last) state.lastCheckpoint = { treeSize: last.treeSize, timestamp: last.timestamp };
    return undefined;
  }
  const checkpoint = await deps.signer.sign({ treeSize: tree.size, rootHash: toHex(rangeHash(0, tree.size, tree.get)), timestamp });
  await tx.insert(tracerCheckpoints).values(checkpoint).onConflictDoNothing();
  return { treeSize: checkpoint.treeSize, timestamp: checkpoint.timestamp };
}

/**
 * The time half of "every N entries or T seconds" when no append comes to trigger it: called when
 * checkpoints or proofs are read, it publishes only if the tree grew and the last one is T old.
 */
export async function publishDueCheckpoint(deps: AppendDeps): Promise<void> {
  if (!deps.signer.publicKey) return;
  const [last] = await deps.db.select().from(tracerCheckpoints).orderBy(desc(tracerCheckpoints.treeSize)).limit(1);
  const [head] = await deps.db.select({ seq: tracerEntries.seq }).from(tracerEntries).orderBy(desc(tracerEntries.seq)).limit(1);
  if (!head || head.seq + 1 <= (last?.treeSize ?? 0)) return;
  if (last && deps.clock.now().getTime() - Date.parse(last.timestamp) < deps.checkpointSeconds * 1000) return;
  await deps.db.transaction(async (tx) => {
    const { tree } = await lockedHead(tx as unknown as Database, {});
    await checkpointIfDue(deps, tx as unknown as Database, tree, deps.clock.now().toISOString());
  });
}
