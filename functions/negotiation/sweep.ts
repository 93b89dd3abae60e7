// The negotiation share of the periodic sweep: tell what was not told yet (a crash between a commit
// and its dispatch), remind whoever must act on a negotiation standing still, close negotiations
// idle past NEGOTIATION_AUTO_CLOSE_DAYS, and deliver due webhooks. Each step locks the rows it
// changes (skip locked), so sweeps on several instances never double a reminder or a closing.
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { datasetChart, DATASETS_MOVE_WHILE, negotiationChart, type NegotiationState } from '../../shared/negotiation/lifecycle.ts';
import { allowedEvents, isFinal, lifecycleRoles } from '../../shared/negotiation/state-chart.ts';
import type { Services } from '../services.ts';
import { type Audience, dispatchPending, recordHappening, type Tx } from './happenings.ts';
import { record } from './lifecycle-service.ts';
import { negotiationDatasets, negotiations } from './negotiation.sql.ts';
import { deliverDueWebhooks } from './webhooks.ts';

const DAY_MS = 24 * 3600_000;
const OPEN = negotiationChart.states.filter((s) => !s.final).map((s) => s.id);
/** The states `abandon` leaves from; a draft was never sent, so it is not closed for anyone. */
const CLOSABLE = negotiationChart.events.find((e) => e.id === 'abandon')?.from ?? [];
const BATCH = 50;
/** Ways out that someone may always take are not their turn: nobody is reminded that they could abandon. */
const NOT_A_TURN = new Set<string>(['abandon', 'conclude', 'pause']);
const turnEvents = <E extends string>(events: E[]) => events.filter((e) => !NOT_A_TURN.has(e));

/** Whose turn it is, by the same chart the events are checked against. */
async function whoMustAct(tx: Tx, id: string, state: NegotiationState): Promise<Audience> {
  const audience: Audience = { representatives: [] };
  const turn = (roles: readonly string[], datasetId?: string) => {
    if (roles.includes('researcher')) audience.author = true;
    if (roles.includes('admin')) audience.admins = true;
    if (datasetId && roles.includes('representative')) (audience.representatives as string[]).push(datasetId);
  };
  turn(lifecycleRoles.filter((r) => turnEvents(allowedEvents(negotiationChart, state, r)).length > 0));
  if (DATASETS_MOVE_WHILE.includes(state))
    for (const d of await tx.select().from(negotiationDatasets).where(eq(negotiationDatasets.negotiationId, id)))
      if (!isFinal(datasetChart, d.state))
        turn(
          lifecycleRoles.filter((r) => turnEvents(allowedEvents(datasetChart, d.state, r)).length > 0),
          d.datasetId,
        );
  return audience;
}

export async function remindStale(s: Services): Promise<number> {
  if (s.config.NEGOTIATION_REMINDER_DAYS === 0) return 0;
  const now = s.clock.now();
  const before = new Date(now.getTime() - s.config.NEGOTIATION_REMINDER_DAYS * DAY_MS);
  return s.db.transaction(async (tx) => {
    const stale = await tx
      .select({ id: negotiations.id, state: negotiations.state })
      .from(negotiations)
      .where(
        and(
          inArray(negotiations.state, OPEN),
          lt(negotiations.updatedAt, before),
          or(isNull(negotiations.remindedAt), lt(negotiations.remindedAt, negotiations.updatedAt)),
        ),
      )
      .limit(BATCH)
      .for('update', { skipLocked: true });
    for (const n of stale) {
      const days = s.config.NEGOTIATION_REMINDER_DAYS;
      await recordHappening(
        tx,
        {
          negotiationId: n.id,
          type: 'negotiation.reminder',
          actor: 'hub',
          title: `Access request ${n.id} has waited ${days}+ days for you (${n.state})`,
          audience: await whoMustAct(tx, n.id, n.state),
          data: { state: n.state },
        },
        now,
      );
      await tx.update(negotiations).set({ remindedAt: now }).where(eq(negotiations.id, n.id));
    }
    return stale.length;
  });
}

export async function closeIdle(s: Services): Promise<number> {
  if (s.config.NEGOTIATION_AUTO_CLOSE_DAYS === 0) return 0;
  const now = s.clock.now();
  const before = new Date(now.getTime() - s.config.NEGOTIATION_AUTO_CLOSE_DAYS * DAY_MS);
  return s.db.transaction(async (tx) => {
    const idle = await tx
      .select({ id: negotiations.id, state: negotiations.state })
      .from(negotiations)
      .where(and(inArray(negotiations.state, [...CLOSABLE]), lt(negotiations.updatedAt, before)))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    for (const n of idle) {
      await tx.update(negotiations).set({ state: 'ABANDONED', updatedAt: now }).where(eq(negotiations.id, n.id));
      await record(tx, { negotiationId: n.id, event: 'abandon', from: n.state, to: 'ABANDONED', actor: 'hub', role: 'hub' }, now);
    }
    return idle.length;
  });
}

export async function runNegotiationSweep(s: Services) {
  try {
    const closed = await closeIdle(s);
    const reminded = await remindStale(s);
    const told = await dispatchPending(s, 200);
    const webhooks = await deliverDueWebhooks(s);
    return { closed, reminded, told, ...webhooks };
  } catch (err) {
    s.logger.error('negotiation sweep failed', { error: (err as Error).message });
    return { closed: 0, reminded: 0, told: 0, delivered: 0, retried: 0 };
  }
}
