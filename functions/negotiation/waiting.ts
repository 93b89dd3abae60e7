// What waits for a user: the negotiations and datasets where the chart lets one of their roles act
// now. Computed from the same chart the events are checked against, so the list and the buttons agree.
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { datasetChart, DATASETS_MOVE_WHILE, negotiationChart, type NegotiationState } from '../../shared/negotiation/lifecycle.ts';
import { allowedEvents, type LifecycleRole } from '../../shared/negotiation/state-chart.ts';
import type { Database } from '../db/client.ts';
import { datasetRepresentatives } from '../identity/roles.sql.ts';
import type { UserPrincipal } from '../middleware/guards.ts';
import { negotiationDatasets, negotiations } from './negotiation.sql.ts';

const FINAL = negotiationChart.states.filter((s) => s.final).map((s) => s.id);
const LIMIT = 200;

export async function waitingFor(db: Database, user: UserPrincipal) {
  const open = notInArray(negotiations.state, FINAL as NegotiationState[]);
  // Admins see every open negotiation; others those with a dataset they represent (their own are under "my requests").
  const represented = db
    .select({ id: sql<string>`${datasetRepresentatives.datasetId}::uuid` })
    .from(datasetRepresentatives)
    .where(eq(datasetRepresentatives.subject, user.user.sub));
  const rows = await db
    .select({
      id: negotiations.id,
      state: negotiations.state,
      datasetId: negotiationDatasets.datasetId,
      datasetState: negotiationDatasets.state,
    })
    .from(negotiations)
    .innerJoin(negotiationDatasets, eq(negotiationDatasets.negotiationId, negotiations.id))
    .where(user.admin ? open : and(open, inArray(negotiationDatasets.datasetId, represented)))
    .orderBy(negotiations.id)
    .limit(LIMIT);
  const mine = new Set(
    user.admin
      ? []
      : (
          await db
            .select({ id: datasetRepresentatives.datasetId })
            .from(datasetRepresentatives)
            .where(eq(datasetRepresentatives.subject, user.user.sub))
        ).map((r) => r.id),
  );
  const byNegotiation = new Map<
    string,
    { id: string; state: NegotiationState; events: string[]; datasets: { id: string; state: string; events: string[] }[] }
  >();
  for (const r of rows) {
    const roles: LifecycleRole[] = user.admin ? ['admin'] : [];
    const entry = byNegotiation.get(r.id) ?? {
      id: r.id,
      state: r.state,
      events: roles.flatMap((role) => allowedEvents(negotiationChart, r.state, role)),
      datasets: [],
    };
    const datasetRoles: LifecycleRole[] = [...roles, ...(mine.has(r.datasetId) ? (['representative'] as const) : [])];
    const events = DATASETS_MOVE_WHILE.includes(r.state)
      ? [...new Set(datasetRoles.flatMap((role) => allowedEvents(datasetChart, r.datasetState, role)))]
      : [];
    if (events.length > 0) entry.datasets.push({ id: r.datasetId, state: r.datasetState, events });
    byNegotiation.set(r.id, entry);
  }
  return [...byNegotiation.values()].filter((n) => n.events.length > 0 || n.datasets.length > 0);
}
