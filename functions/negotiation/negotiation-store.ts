// Reading negotiations and deciding which lifecycle roles a caller holds in one of them.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { LifecycleRole } from '../../shared/negotiation/state-chart.ts';
import { catalogueDatasets } from '../catalogue/catalogue.sql.ts';
import type { Database } from '../db/client.ts';
import type { UserPrincipal } from '../middleware/guards.ts';
import { datasetRepresentatives } from '../identity/roles.sql.ts';
import { accessGrants, negotiationDatasets, negotiationEvents, negotiations } from './negotiation.sql.ts';

export type NegotiationRow = typeof negotiations.$inferSelect;

/** The ids among `ids` that are not published datasets of the catalogue. */
export async function unknownDatasets(db: Database, ids: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: catalogueDatasets.id })
    .from(catalogueDatasets)
    .where(and(inArray(catalogueDatasets.id, ids), eq(catalogueDatasets.state, 'published')));
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** The roles `user` holds in `negotiation`; for a dataset event, representative of that dataset only. */
export async function rolesIn(
  db: Pick<Database, 'select'>,
  user: UserPrincipal,
  negotiation: NegotiationRow,
  datasetId?: string,
): Promise<LifecycleRole[]> {
  const roles: LifecycleRole[] = [];
  if (negotiation.author === user.user.sub) roles.push('researcher');
  if (datasetId) {
    const [rep] = await db
      .select({ d: datasetRepresentatives.datasetId })
      .from(datasetRepresentatives)
      .where(and(eq(datasetRepresentatives.datasetId, datasetId), eq(datasetRepresentatives.subject, user.user.sub)));
    if (rep) roles.push('representative');
  }
  if (user.admin) roles.push('admin');
  return roles;
}

/** The datasets of this negotiation the user represents. */
export async function representedIn(db: Pick<Database, 'select'>, user: UserPrincipal, negotiationId: string): Promise<string[]> {
  const rows = await db
    .select({ id: negotiationDatasets.datasetId })
    .from(negotiationDatasets)
    // Representatives are keyed by text ids (they predate the catalogue's UUIDs).
    .innerJoin(datasetRepresentatives, eq(datasetRepresentatives.datasetId, sql`${negotiationDatasets.datasetId}::text`))
    .where(and(eq(negotiationDatasets.negotiationId, negotiationId), eq(datasetRepresentatives.subject, user.user.sub)));
  return rows.map((r) => r.id);
}

/** Who may read a negotiation: its author, admins, and representatives of one of its datasets. */
async function mayRead(db: Database, user: UserPrincipal, negotiation: NegotiationRow): Promise<boolean> {
  if (negotiation.author === user.user.sub || user.admin) return true;
  return (await representedIn(db, user, negotiation.id)).length > 0;
}

/** The negotiation if `user` may read it; the same 404 for "absent" and "not yours". */
export async function readableNegotiation(db: Database, user: UserPrincipal, id: string): Promise<NegotiationRow> {
  const [row] = await db.select().from(negotiations).where(eq(negotiations.id, id));
  if (!row || !(await mayRead(db, user, row))) throw new AppError('not_found', 'no such negotiation');
  return row;
}

/** A negotiation's transitions, oldest first. */
export async function negotiationTimeline(db: Database, negotiationId: string) {
  const events = await db
    .select({
      event: negotiationEvents.event,
      datasetId: negotiationEvents.datasetId,
      from: negotiationEvents.fromState,
      to: negotiationEvents.toState,
      actor: negotiationEvents.actor,
      role: negotiationEvents.role,
      at: negotiationEvents.at,
    })
    .from(negotiationEvents)
    .where(eq(negotiationEvents.negotiationId, negotiationId))
    .orderBy(asc(negotiationEvents.id));
  return events.map((t) => ({ ...t, at: t.at.toISOString() }));
}

/** A negotiation with its datasets' states and its timeline, as the API shows it. */
export async function negotiationView(db: Database, row: NegotiationRow) {
  const datasets = await db
    .select({ id: negotiationDatasets.datasetId, state: negotiationDatasets.state })
    .from(negotiationDatasets)
    .where(eq(negotiationDatasets.negotiationId, row.id))
    .orderBy(asc(negotiationDatasets.datasetId));
  // Who may read the negotiation sees which grants it produced; the signed statement only its holder (GET /grants).
  const grants = await db
    .select({
      id: accessGrants.id,
      datasetId: accessGrants.datasetId,
      access: accessGrants.access,
      expiresAt: accessGrants.expiresAt,
      revokedAt: accessGrants.revokedAt,
    })
    .from(accessGrants)
    .where(eq(accessGrants.negotiationId, row.id))
    .orderBy(asc(accessGrants.id));
  return {
    id: row.id,
    author: row.author,
    state: row.state,
    form: { id: row.formId, version: row.formVersion },
    answers: row.answers,
    humanReadable: row.humanReadable,
    query: row.query ?? null,
    createdAt: row.createdAt.toISOString(),
    datasets,
    timeline: await negotiationTimeline(db, row.id),
    grants: grants.map((g) => ({
      id: g.id,
      datasetId: g.datasetId,
      access: g.access,
      expiresAt: g.expiresAt.toISOString(),
      revoked: g.revokedAt !== null,
    })),
  };
}
export type NegotiationView = Awaited<ReturnType<typeof negotiationView>>;
