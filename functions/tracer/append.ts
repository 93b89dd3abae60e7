import { desc, sql } from 'drizzle-orm';
import { splitInput, type TraceInput } from '../../shared/tracer/actions.ts';
import { GENESIS_HASH, type TraceEntry, entryHash, entryLeaf } from '../../shared/tracer/entry.ts';
import { toHex } from '../../shared/tracer/hex.ts';
import { rangeHash } from '../../shared/tracer/merkle.ts';
import { PerfectTree, type StoredNode } from '../../shared/tracer/tree-builder.ts';
import { type Database, rowsOf } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import { fetchNodes } from './node-store.ts';
import { appendIfHeadIs, insertEntriesAndNodes } from './row-insert.ts';
import { tracerCheckpoints, tracerEntries } from './tracer.sql.ts';

/** One log per database: every append of every hub instance takes this transaction-scoped lock (tracer_append too). */
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

/** Optimistic rounds before an append waits for the lock instead (many writers racing on one head). */
const OPTIMISTIC_ATTEMPTS = 3;

type Head = NonNullable<AppendState['head']>;

/**
 * Appends a batch, normally in one statement: hashes the new entries onto the head this appender
 * remembers (read without the lock when it remembers none) and hands them to `tracer_append`, which
 * under the advisory lock stores them only if that head is still the head. When another writer moved
 * it, nothing is stored and the batch is hashed again on the real head; after a few such rounds the
 * append takes the lock first and reads the head under it, so it cannot lose again. Either way the
 * chain cannot fork or skip. A checkpoint, when due, is signed after the batch is stored.
 */
export async function appendBatch(
  deps: AppendDeps,
  items: PendingTrace[],
  state: AppendState = {},
  // Writers of one process that do not batch race each other on one head: they take the lock first.
  opts: { optimistic: boolean } = { optimistic: true },
): Promise<TraceEntry[]> {
  let stored: ReturnType<typeof hashBatch> | undefined;
  for (let attempt = 1; opts.optimistic && !stored && attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
    const batch = hashBatch(state.head ?? (await readHead(deps.db)), items, deps.clock.now().toISOString());
    const [outcome] = rowsOf<{ appended: boolean }>(await deps.db.execute(appendIfHeadIs(batch.head, batch.entries, batch.nodes)));
    if (outcome?.appended) stored = batch;
    // Moved by another writer: forget the remembered head and read the real one.
    else state.head = undefined;
  }
  stored ??= await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${TRACER_LOCK_KEY})`);
    const batch = hashBatch(await readHead(tx as unknown as Database, state.head), items, deps.clock.now().toISOString());
    await tx.execute(insertEntriesAndNodes(batch.entries, batch.nodes));
    return batch;
  });
  const { tree, entries, timestamp } = stored;
  // Only once stored: a batch that was not written must not move the remembered head.
  state.head = {
    size: tree.size,
    hash: entries[entries.length - 1]!.hash,
    frontier: PerfectTree.frontierOf(tree.size).map((n) => ({ ...n, hash: tree.get(n.level, n.index) })),
  };
  const checkpoint = await checkpointIfDue(deps, deps.db, tree, timestamp, state);
  if (checkpoint) state.lastCheckpoint = checkpoint;
  return entries;
}

/** The batch's entries chained and hashed onto `head`, with every Merkle subtree they complete. */
function hashBatch(head: Head, items: PendingTrace[], timestamp: string) {
  const tree = new PerfectTree(head.size, head.frontier);
  let prevHash = head.hash;
  const entries: TraceEntry[] = [];
  const nodes: { level: number; idx: number; hash: string }[] = [];
  for (const item of items) {
    const { userId, userAction, datasetIds, payload } = splitInput(item.input);
    const content = {
      seq: tree.size,
      id: crypto.randomUUID(),
      timestamp,
      submitter: item.submitter,
      userId,
      userAction,
      datasetIds,
      payload,
      prevHash,
    };
    const entry: TraceEntry = { ...content, hash: entryHash(content) };
    for (const n of tree.push(entryLeaf(entry.hash))) nodes.push({ level: n.level, idx: n.index, hash: toHex(n.hash) });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return { head, tree, entries, nodes, timestamp };
}

/**
 * The head and its Merkle frontier as stored now (the remembered frontier when the head is the
 * remembered one). Without the lock it may be stale: tracer_append re-checks it.
 */
async function readHead(db: Database, remembered?: Head): Promise<Head> {
  const [head] = await db
    .select({ seq: tracerEntries.seq, hash: tracerEntries.hash })
    .from(tracerEntries)
    .orderBy(desc(tracerEntries.seq))
    .limit(1);
  const size = head ? head.seq + 1 : 0;
  if (remembered && head && remembered.size === size && remembered.hash === head.hash) return remembered;
  const wanted = PerfectTree.frontierOf(size);
  // Subtrees are stored in the same statement as the entries that complete them: a committed head has its frontier.
  const known = await fetchNodes(db, wanted);
  return {
    size,
    hash: head?.hash ?? GENESIS_HASH,
    frontier: wanted.map((n) => ({ ...n, hash: known.get(`${n.level}:${n.index}`) ?? missing(n) })),
  };
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
  // A committed size's subtrees never change, so the root needs no lock.
  const current = await readHead(deps.db);
  await checkpointIfDue(deps, deps.db, new PerfectTree(current.size, current.frontier), deps.clock.now().toISOString());
}
