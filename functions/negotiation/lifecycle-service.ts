// Firing lifecycle events on stored negotiations. Each event runs in one transaction that first
// locks the negotiation's row, so two requests cannot both move the same state: a double
// submission makes one transition and the second is refused with 409, and two datasets finishing
// at once cannot both miss that the negotiation is complete.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { validateAnswers } from '../../shared/negotiation/form-template.ts';
import { accessConditions } from '../../shared/negotiation/grant.ts';
import {
  type DatasetEvent,
  type NegotiationEvent,
  negotiationChart,
  settleNegotiation,
  transitionDataset,
} from '../../shared/negotiation/lifecycle.ts';
import { type LifecycleRole, transition, type TransitionResult } from '../../shared/negotiation/state-chart.ts';
import type { Database } from '../db/client.ts';
import type { UserPrincipal } from '../middleware/guards.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { attachmentProblems } from './attachments.ts';
import { formVersion } from './forms.ts';
import { type Audience, dispatchSoon, recordHappening } from './happenings.ts';
import { accessGrants, negotiationDatasets, negotiationEvents, negotiations } from './negotiation.sql.ts';
import { type NegotiationRow, readableNegotiation, rolesIn } from './negotiation-store.ts';

/** What the representative grants with `grant_access`: how the data may be used, on which terms, for how long. */
export const grantTermsSchema = z
  .object({ access: z.enum(accessConditions), conditions: z.string().max(10_000).default(''), validDays: z.number().int().min(1).max(730) })
  .strict();
export type GrantTerms = z.infer<typeof grantTermsSchema>;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Fires the event as the first of the caller's roles the chart lets fire it now. Without one: 409
 * when some role of theirs could fire it in another state (with what they may do now), else 403.
 */
function pick<S extends string, E extends string>(
  roles: LifecycleRole[],
  attempt: (role: LifecycleRole) => TransitionResult<S, E>,
  event: E,
) {
  const results = roles.map((role) => ({ role, result: attempt(role) }));
  const ok = results.find((r) => r.result.ok);
  if (ok?.result.ok) return { role: ok.role, to: ok.result.to, from: ok.result.from };
  const notNow = results.flatMap((r) => (!r.result.ok && r.result.refusal === 'not_allowed_now' ? [r.result] : []));
  if (notNow.length > 0) {
    const allowed = [...new Set(notNow.flatMap((r) => r.allowed))];
    throw new AppError('conflict', `${event} is not allowed in state ${notNow[0]?.state}`, { state: notNow[0]?.state, allowed });
  }
  const needed = results.flatMap((r) => (!r.result.ok && r.result.refusal === 'role_not_allowed' ? r.result.roles : []));
  throw new AppError('forbidden', `you may not ${event} here`, { roles: [...new Set(needed)] });
}

async function lockNegotiation(tx: Tx, id: string): Promise<NegotiationRow> {
  const [row] = await tx.select().from(negotiations).where(eq(negotiations.id, id)).for('update');
  if (!row) throw new AppError('not_found', 'no such negotiation');
  return row;
}

/** Who hears of a transition: admins of a submission; the author and the representatives concerned of anything else. */
function audienceOf(e: { datasetId?: string; event: string }): Audience {
  if (e.event === 'submit') return { admins: true };
  return { author: true, representatives: e.datasetId ? [e.datasetId] : 'all' };
}

// Timeline ids sort in the order events were recorded, even several in one millisecond (an event
// and the automatic conclusion it causes): the id's time part never repeats within this process.
let lastEventMs = 0;
const eventId = (nowMs: number) => {
  lastEventMs = Math.max(nowMs, lastEventMs + 1);
  return newId('evt', lastEventMs);
};

/** Appends the transition to the timeline and, in the same transaction, the happening that tells people about it. */
export async function record(
  tx: Tx,
  e: { negotiationId: string; datasetId?: string; event: string; from: string; to: string; actor: string; role: string },
  now: Date,
) {
  await tx.insert(negotiationEvents).values({
    id: eventId(now.getTime()),
    negotiationId: e.negotiationId,
    datasetId: e.datasetId ?? null,
    event: e.event,
    fromState: e.from,
    toState: e.to,
    actor: e.actor,
    role: e.role,
    at: now,
  });
  const what = e.datasetId ? `dataset ${e.datasetId} of access request ${e.negotiationId}` : `access request ${e.negotiationId}`;
  await recordHappening(
    tx,
    {
      negotiationId: e.negotiationId,
      datasetId: e.datasetId,
      type: `${e.datasetId ? 'dataset' : 'negotiation'}.${e.event}`,
      actor: e.actor,
      title: `${e.event.replaceAll('_', ' ')}: ${what} is now ${e.to}`,
      audience: audienceOf(e),
      data: { event: e.event, from: e.from, to: e.to, role: e.role },
    },
    now,
  );
}

export async function fireNegotiationEvent(s: Services, user: UserPrincipal, id: string, event: NegotiationEvent): Promise<void> {
  await readableNegotiation(s.db, user, id);
  await s.db.transaction(async (tx) => {
    const row = await lockNegotiation(tx, id);
    const roles = await rolesIn(tx, user, row);
    const moved = pick(roles, (role) => transition(negotiationChart, row.state, event, role), event);
    if (event === 'submit') {
      // Against the version the negotiation started with, whatever the admins stored since.
      const form = await formVersion(tx, row.formId, row.formVersion);
      const problems = [...validateAnswers(form, row.answers), ...(await attachmentProblems(tx, form, id, row.answers))];
      if (problems.length > 0) throw new AppError('unprocessable', `the application has ${problems.length} problem(s)`, problems);
    }
    const now = s.clock.now();
    await tx.update(negotiations).set({ state: moved.to, updatedAt: now }).where(eq(negotiations.id, id));
    await record(tx, { negotiationId: id, event, from: moved.from, to: moved.to, actor: user.user.sub, role: moved.role }, now);
  });
  await dispatchSoon(s);
}

export async function fireDatasetEvent(
  s: Services,
  user: UserPrincipal,
  id: string,
  datasetId: string,
  event: DatasetEvent,
  terms?: GrantTerms,
): Promise<void> {
  const negotiation = await readableNegotiation(s.db, user, id);
  await s.db.transaction(async (tx) => {
    const row = await lockNegotiation(tx, id);
    const [ds] = await tx
      .select({ state: negotiationDatasets.state })
      .from(negotiationDatasets)
      .where(and(eq(negotiationDatasets.negotiationId, id), eq(negotiationDatasets.datasetId, datasetId)));
    if (!ds) throw new AppError('not_found', 'this negotiation does not request that dataset');
    const roles = await rolesIn(tx, user, row, datasetId);
    const moved = pick(roles, (role) => transitionDataset(row.state, ds.state, event, role), event);
    if (event === 'grant_access' && !terms)
      throw new AppError('bad_request', 'grant_access needs the grant: { access, conditions, validDays }');
    const now = s.clock.now();
    await tx
      .update(negotiationDatasets)
      .set({ state: moved.to, updatedAt: now })
      .where(and(eq(negotiationDatasets.negotiationId, id), eq(negotiationDatasets.datasetId, datasetId)));
    // Activity on any dataset keeps the whole negotiation from reminders and auto-close.
    await tx.update(negotiations).set({ updatedAt: now }).where(eq(negotiations.id, id));
    await record(tx, { negotiationId: id, datasetId, event, from: moved.from, to: moved.to, actor: user.user.sub, role: moved.role }, now);
    if (event === 'grant_access' && terms) await issueGrant(s, tx, row, datasetId, terms, now);
    const states = await tx
      .select({ state: negotiationDatasets.state })
      .from(negotiationDatasets)
      .where(eq(negotiationDatasets.negotiationId, id));
    const settled = settleNegotiation(
      row.state,
      states.map((r) => r.state),
    );
    if (settled !== row.state) {
      await tx.update(negotiations).set({ state: settled, updatedAt: now }).where(eq(negotiations.id, id));
      await record(tx, { negotiationId: id, event: 'conclude', from: row.state, to: settled, actor: 'hub', role: 'hub' }, now);
    }
  });
  await dispatchSoon(s);
  // After the commit: the tracer serialises appends with its own lock, and a grant that was rolled back must leave no trace.
  if (event === 'grant_access')
    await recordTrace(s, { userAction: 'ACCESS_GRANTED', userId: negotiation.author, datasetIds: [datasetId], requestId: id });
}

async function issueGrant(s: Services, tx: Tx, row: NegotiationRow, datasetId: string, terms: GrantTerms, now: Date): Promise<void> {
  const grantId = newId('grt', now.getTime());
  const exp = Math.floor(now.getTime() / 1000) + terms.validDays * 24 * 3600;
  const jws = await s.grantSigner.sign(
    { sub: row.author, jti: grantId, exp, dataset: datasetId, access: terms.access, conditions: terms.conditions, negotiation: row.id },
    now.getTime(),
  );
  await tx.insert(accessGrants).values({
    id: grantId,
    negotiationId: row.id,
    datasetId,
    userSub: row.author,
    access: terms.access,
    conditions: terms.conditions,
    expiresAt: new Date(exp * 1000),
    jws,
  });
  await recordHappening(
    tx,
    {
      negotiationId: row.id,
      datasetId,
      type: 'grant.issued',
      actor: 'hub',
      title: `Access granted to dataset ${datasetId} (${terms.access})`,
      audience: { author: true },
      data: { grantId, access: terms.access, expiresAt: new Date(exp * 1000).toISOString() },
    },
    now,
  );
}
