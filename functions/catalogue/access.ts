// Who may do what with a dataset: the owner, the admins of the dataset's node and platform admins
// edit it and see it in every state; everyone else sees published datasets and tombstones only.
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../identity/principal.ts';
import { nodeAdmins } from '../nodes/nodes.sql.ts';
import type { Db } from './record.ts';

export interface Actor {
  sub: string;
  admin: boolean;
}

export function actorOf(p: Principal): Actor | null {
  return p.kind === 'user' ? { sub: p.user.sub, admin: p.admin } : null;
}

export async function isNodeAdmin(db: Db, sub: string, nodeId: string | null): Promise<boolean> {
  if (!nodeId) return false;
  const rows = await db
    .select({ nodeId: nodeAdmins.nodeId })
    .from(nodeAdmins)
    .where(and(eq(nodeAdmins.nodeId, nodeId), eq(nodeAdmins.subject, sub)));
  return rows.length > 0;
}

/** Anyone who administers at least one node is a data holder and may register datasets for it. */
export async function isDataHolder(db: Db, sub: string): Promise<boolean> {
  const rows = await db.select({ nodeId: nodeAdmins.nodeId }).from(nodeAdmins).where(eq(nodeAdmins.subject, sub)).limit(1);
  return rows.length > 0;
}

export async function mayEdit(db: Db, actor: Actor | null, dataset: { owner: string; nodeId: string | null }): Promise<boolean> {
  if (!actor) return false;
  return actor.admin || dataset.owner === actor.sub || isNodeAdmin(db, actor.sub, dataset.nodeId);
}
