import { inArray } from 'drizzle-orm';
import type { NodeHealth } from '../../shared/processing/health.ts';
import type { Services } from '../services.ts';
import { nodeHealth } from './processing.sql.ts';

/** Keeps only the latest report per node: the network page shows now, not a history. */
export async function storeHealth(s: Pick<Services, 'db' | 'clock'>, nodeId: string, report: NodeHealth): Promise<void> {
  const receivedAt = s.clock.now();
  await s.db
    .insert(nodeHealth)
    .values({ nodeId, report, receivedAt })
    .onConflictDoUpdate({ target: nodeHealth.nodeId, set: { report, receivedAt } });
}

/** The latest report of each of these nodes, with when the hub received it. */
export async function latestHealth(
  s: Pick<Services, 'db'>,
  nodeIds: string[],
): Promise<Map<string, { report: NodeHealth; receivedAt: string }>> {
  if (nodeIds.length === 0) return new Map();
  const rows = await s.db.select().from(nodeHealth).where(inArray(nodeHealth.nodeId, nodeIds));
  return new Map(rows.map((r) => [r.nodeId, { report: r.report, receivedAt: r.receivedAt.toISOString() }]));
}
