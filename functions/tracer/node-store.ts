import { and, eq, or } from 'drizzle-orm';
import { fromHex } from '../../shared/tracer/hex.ts';
import type { PerfectNode } from '../../shared/tracer/merkle.ts';
import type { Database } from '../db/client.ts';
import { tracerNodes } from './tracer.sql.ts';

/** Reads the stored Merkle subtrees asked for (a proof needs O(log n) of them) in one query. */
export async function fetchNodes(db: Database, wanted: PerfectNode[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (wanted.length === 0) return found;
  const rows = await db
    .select()
    .from(tracerNodes)
    .where(or(...wanted.map((n) => and(eq(tracerNodes.level, n.level), eq(tracerNodes.idx, n.index)))));
  for (const r of rows) found.set(`${r.level}:${r.idx}`, fromHex(r.hash));
  return found;
}
