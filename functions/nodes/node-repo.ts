import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { updateAdvice } from '../../shared/bridge-protocol.ts';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import type { PublicJwk } from '../../shared/node-auth.ts';
import { rowsOf } from '../db/client.ts';
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

// Node keys as last read, per hub (PUBLIC_URL) and isolate, so a bridge call costs no key lookup. Only
// a hint: claimNodeCall accepts a token only if the key it was verified with is still the registered
// key of an active node, so a changed key or a disabled node is never trusted from here.
const keyHints = new Map<string, PublicJwk>();
const MAX_KEY_HINTS = 10_000;
const hintKey = (deps: Deps, nodeId: string) => `${deps.config.PUBLIC_URL} ${nodeId}`;

/** The node's key: the cached one unless `fresh`, else read from the database (undefined: unknown or disabled). */
export async function nodeKey(deps: Deps, nodeId: string, fresh: boolean): Promise<{ publicJwk: PublicJwk; cached: boolean } | undefined> {
  const hint = fresh ? undefined : keyHints.get(hintKey(deps, nodeId));
  if (hint) return { publicJwk: hint, cached: true };
  const row = await activeNodeKey(deps, nodeId);
  if (!row) {
    keyHints.delete(hintKey(deps, nodeId));
    return undefined;
  }
  if (keyHints.size >= MAX_KEY_HINTS) keyHints.clear();
  keyHints.set(hintKey(deps, nodeId), row.publicJwk);
  return { publicJwk: row.publicJwk, cached: false };
}

export function forgetNodeKey(deps: Deps, nodeId: string): void {
  keyHints.delete(hintKey(deps, nodeId));
}

/**
 * Everything a verified bridge call writes, in one statement: the node must still be active with the
 * key the token was verified against; the token id is remembered until it expires (the primary key
 * makes check and write atomic, so two racing replays cannot both pass); last-seen is refreshed when
 * older than TOUCH_INTERVAL_MS. `stale_key`: the node is gone, disabled or has another key now.
 */
export async function claimNodeCall(
  deps: Deps,
  call: { nodeId: string; keyX: string; jti: string; expiresAt: Date },
): Promise<'claimed' | 'replayed' | 'stale_key'> {
  const now = deps.clock.now();
  const touchBefore = new Date(now.getTime() - TOUCH_INTERVAL_MS);
  // Raw SQL binds dates as ISO text: postgres.js cannot serialise a Date without its type registry.
  const result = await deps.db.execute(sql`
    with node as (
      select ${nodes.id} as id from ${nodes}
      where ${nodes.id} = ${call.nodeId} and ${nodes.status} = 'active' and ${nodes.publicJwk} ->> 'x' = ${call.keyX}
    ), claim as (
      insert into ${usedNodeTokens} (jti, node_id, expires_at)
      select ${call.jti}, id, ${call.expiresAt.toISOString()}::timestamptz from node
      on conflict do nothing
      returning jti
    ), touch as (
      update ${nodes} set last_seen_at = ${now.toISOString()}::timestamptz
      where ${nodes.id} in (select id from node) and exists (select 1 from claim)
        and (${nodes.lastSeenAt} is null or ${nodes.lastSeenAt} < ${touchBefore.toISOString()}::timestamptz)
      returning ${nodes.id}
    )
    select (select count(*) from node)::int as known, (select count(*) from claim)::int as claimed`);
  const [row] = rowsOf<{ known: number; claimed: number }>(result);
  if (!row || Number(row.known) === 0) return 'stale_key';
  return Number(row.claimed) === 1 ? 'claimed' : 'replayed';
}

export async function pruneUsedTokens(deps: Deps): Promise<void> {
  // Keep a margin past expiry for the verifier's clock tolerance.
  const cutoff = new Date(deps.clock.now().getTime() - 60_000);
  await deps.db.delete(usedNodeTokens).where(lt(usedNodeTokens.expiresAt, cutoff));
}

export async function touchNode(deps: Deps, nodeId: string, version?: string, protocol?: number): Promise<void> {
  await deps.db
    .update(nodes)
    // Health reports carry the version only: the protocol is the heartbeat's to set.
    .set({ lastSeenAt: deps.clock.now(), ...(version ? { version } : {}), ...(protocol !== undefined ? { protocol } : {}) })
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
      protocol: nodes.protocol,
      capabilities: nodes.capabilities,
      capabilitiesAt: nodes.capabilitiesAt,
    })
    .from(nodes)
    .orderBy(sql`${nodes.id}`);
  // `update`: whether the node runs a bridge this hub no longer serves, or one older than its release.
  return rows.map((r) => ({ ...r, online: r.status === 'active' && isOnline(deps, r.lastSeenAt), update: updateAdvice(r) }));
}
