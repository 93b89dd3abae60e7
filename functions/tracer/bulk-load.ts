import { sql } from 'drizzle-orm';
import type { TraceInput } from '../../shared/tracer/actions.ts';
import { splitInput } from '../../shared/tracer/actions.ts';
import { GENESIS_HASH, type TraceEntry, entryHash, entryLeaf } from '../../shared/tracer/entry.ts';
import { toHex } from '../../shared/tracer/hex.ts';
import { rangeHash } from '../../shared/tracer/merkle.ts';
import { PerfectTree } from '../../shared/tracer/tree-builder.ts';
import type { Database } from '../db/client.ts';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import { insertEntriesAndNodes } from './row-insert.ts';

/**
 * Fills an EMPTY log fast, for benchmarks and query-plan tests: entries are chained and hashed in
 * memory and written 10,000 at a time as one JSON parameter per statement (driver-neutral, and far
 * fewer round trips than row inserts). Not for production: it takes no lock and trusts its input.
 */
export async function bulkLoad(
  db: Database,
  opts: { count: number; make: (i: number) => TraceInput; signer?: CheckpointSigner; onEntries?: (batch: TraceEntry[]) => void },
): Promise<{ size: number; rootHash: string }> {
  const tree = new PerfectTree();
  let prevHash = GENESIS_HASH;
  const CHUNK = 10_000;
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  for (let from = 0; from < opts.count; from += CHUNK) {
    const entries: TraceEntry[] = [];
    const nodes: { level: number; idx: number; hash: string }[] = [];
    for (let i = from; i < Math.min(opts.count, from + CHUNK); i++) {
      const { userId, userAction, datasetIds, payload } = splitInput(opts.make(i));
      const timestamp = new Date(start + i * 10).toISOString();
      const content = { seq: i, id: crypto.randomUUID(), timestamp, submitter: 'hub', userId, userAction, datasetIds, payload, prevHash };
      const entry = { ...content, hash: entryHash(content) };
      for (const n of tree.push(entryLeaf(entry.hash))) nodes.push({ level: n.level, idx: n.index, hash: toHex(n.hash) });
      entries.push(entry);
      prevHash = entry.hash;
    }
    opts.onEntries?.(entries);
    await db.execute(insertEntriesAndNodes(entries, nodes));
  }
  const rootHash = opts.count ? toHex(rangeHash(0, opts.count, tree.get)) : GENESIS_HASH;
  if (opts.signer?.publicKey && opts.count) {
    const c = await opts.signer.sign({ treeSize: opts.count, rootHash, timestamp: new Date().toISOString() });
    await db.execute(sql`insert into tracer_checkpoints (tree_size, root_hash, timestamp, origin, key_id, signature)
      values (${c.treeSize}, ${c.rootHash}, ${c.timestamp}, ${c.origin}, ${c.keyId}, ${c.signature})`);
  }
  return { size: opts.count, rootHash };
}
