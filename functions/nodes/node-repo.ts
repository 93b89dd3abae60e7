import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import type { PublicJwk } from '../../shared/node-auth.ts';
import type { Services } from '../services.ts';
import { nodes, usedNodeTokens } from './nodes.sql.ts';

type Deps = Pick<Services, 'db' | 'clock' | 'config'>;

export async function activeNodeKey(deps: Deps, nodeId: string): Promise<{ publicJwk: PublicJwk; lastSeenAt: Date | null } | undefined> {
  const [row] = await deps.db
    .select({ publicJwk: nodes.publicJwk, lastSeenAt: nodes.lastSeenAt })
    .from(nodes)
    .where(and(eq(nodes.id, nodeId), eq(nodes.status, 'active')));
  return row;
}

/** Last-seen is for the online/offline view (90 s); refreshing it more often than this buys nothing. */
export const TOUCH_INTERVAL_MS = 5_000;

/**
 * Remembers a node token id until it expires. Answers false when it was already used: the primary
 * key makes the check and the write one atomic statement, so two racing replays cannot both pass.
 */
export async function claimNodeToken(deps: Deps, jti: string, nodeId: string, expiresAt: Date): Promise<boolean> {
  const inserted = await deps.db
    .insert(usedNodeTokens)
    .values({ jti, nodeId, expiresAt })
    .onConflictDoNothing()
    .returning({ jti: usedNodeTokens.jti });
  return inserted.length === 1;
}

export async function pruneUsedTokens(deps: Deps): Promise<void> {
  // Keep a margin past expiry for the verifier's clock tolerance.
  const cutoff = new Date(deps.clock.now().getTime() - 60_000);
  await deps.db.delete(usedNodeTokens).where(lt(usedNodeTokens.expiresAt, cutoff));
}

export async function touchNode(deps: Deps, nodeId: string, version?: string): Promise<void> {
  await deps.db
    .update(nodes)
    .set({ lastSeenAt: deps.clock.now(), ...(version ? { version } : {}) })
    .where(eq(nodes.id, nodeId));
}

/** Keeps the latest manifest a node sent; a heartbeat without one leaves the stored one alone. */
export async function storeCapabilities(deps: Deps, nodeId: string, capabilities: CapabilityManifest): Promise<void> {
  await deps.db.update(nodes).set({ capabilities, capabilitiesAt: deps.clock.now() }).where(eq(nodes.id, nodeId));
}

export function isOnline(deps: Deps, lastSeenAt: Date | null): boolean {
  return !!lastSeenAt && deps.clock.now().getTime() - lastSeenAt.getTime() <= deps.config.NODE_OFFLINE_AFTER_SECONDS * 1000;
}

export async function onlineNodes(deps: Deps) {
  const since = new Date(deps.clock.now().getTime() - deps.config.NODE_OFFLINE_AFTER_SECONDS * 1000);
  return deps.db
    .select({ id: nodes.id, queueUrl: nodes.queueUrl })
    .from(nodes)
    .where(and(eq(nodes.status, 'active'), gt(nodes.lastSeenAt, since)))
    .orderBy(nodes.id);
}

export async function listNodes(deps: Deps) {
  const rows = await deps.db
    .select({
      id: nodes.id,
      name: nodes.name,
      status: nodes.status,
      lastSeenAt: nodes.lastSeenAt,
      version: nodes.version,
      capabilities: nodes.capabilities,
      capabilitiesAt: nodes.capabilitiesAt,
    })
    .from(nodes)
    .orderBy(sql`${nodes.id}`);
  return rows.map((r) => ({ ...r, online: r.status === 'active' && isOnline(deps, r.lastSeenAt) }));
}
