// Telling people what happened, exactly once per happening. A happening is written in the same
// transaction as the change it reports; dispatching first claims it (`dispatched_at` set where it
// was null), and only the claimer writes the in-app notifications and the webhook deliveries, in
// that same transaction. A request retried, a double submission or the sweep racing the request
// therefore never tells anyone twice. Mail is sent after the commit (it cannot be rolled back).
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import type { Database } from '../db/client.ts';
import { datasetRepresentatives } from '../identity/roles.sql.ts';
import { notifications } from '../notifications/notifications.sql.ts';
import type { Services } from '../services.ts';
import { negotiationContacts, negotiationHappenings, negotiationWebhookDeliveries, negotiationWebhooks } from './conversation.sql.ts';
import { negotiationDatasets, negotiations } from './negotiation.sql.ts';

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type Reader = Pick<Database, 'select'>;

/** Who is told: named subjects, everyone representing the given datasets, the author, known admins. */
export interface Audience {
  author?: boolean;
  /** Representatives of these datasets; `'all'` for every dataset of the negotiation. */
  representatives?: string[] | 'all';
  admins?: boolean;
}

export interface Happening {
  negotiationId: string;
  datasetId?: string | null;
  /** `negotiation.submit`, `dataset.grant_access`, `post.created`, `grant.revoked`, ... */
  type: string;
  actor: string;
  title: string;
  audience: Audience;
  data?: Record<string, unknown>;
}

/** Writes the happening inside the caller's transaction; it is told once the transaction commits. */
export async function recordHappening(tx: Tx, h: Happening, now: Date): Promise<string> {
  const id = newId('hap', now.getTime());
  await tx.insert(negotiationHappenings).values({
    id,
    negotiationId: h.negotiationId,
    datasetId: h.datasetId ?? null,
    type: h.type,
    actor: h.actor,
    data: { ...h.data, title: h.title, audience: h.audience },
    createdAt: now,
  });
  return id;
}

async function recipients(db: Reader, negotiationId: string, audience: Audience, actor: string): Promise<string[]> {
  const subjects = new Set<string>();
  if (audience.author) {
    const [n] = await db.select({ author: negotiations.author }).from(negotiations).where(eq(negotiations.id, negotiationId));
    if (n) subjects.add(n.author);
  }
  if (audience.representatives) {
    const ids =
      audience.representatives === 'all'
        ? (
            await db
              .select({ id: negotiationDatasets.datasetId })
              .from(negotiationDatasets)
              .where(eq(negotiationDatasets.negotiationId, negotiationId))
          ).map((r) => r.id)
        : audience.representatives;
    if (ids.length > 0)
      for (const r of await db
        .select({ s: datasetRepresentatives.subject })
        .from(datasetRepresentatives)
        .where(inArray(datasetRepresentatives.datasetId, ids)))
        subjects.add(r.s);
  }
  // Admins are whoever holds the admin entitlement; the hub knows those who have used negotiations.
  if (audience.admins)
    for (const r of await db
      .select({ s: negotiationContacts.subject })
      .from(negotiationContacts)
      .where(eq(negotiationContacts.admin, true)))
      subjects.add(r.s);
  subjects.delete(actor);
  return [...subjects].sort();
}

/** The JSON a webhook receives for a happening; `id` is the happening's, stable across retries. */
export function webhookPayload(h: typeof negotiationHappenings.$inferSelect): string {
  const { audience: _a, title, ...data } = h.data as { audience?: unknown; title?: string };
  return JSON.stringify({
    id: h.id,
    type: h.type,
    negotiationId: h.negotiationId,
    datasetId: h.datasetId,
    actor: h.actor,
    title,
    occurredAt: h.createdAt.toISOString(),
    data,
  });
}

/** Tells every happening not yet told (oldest first); returns how many were dispatched. */
export async function dispatchPending(s: Services, limit = 50): Promise<number> {
  const pending = await s.db
    .select({ id: negotiationHappenings.id })
    .from(negotiationHappenings)
    .where(isNull(negotiationHappenings.dispatchedAt))
    .orderBy(asc(negotiationHappenings.id))
    .limit(limit);
  let told = 0;
  for (const { id } of pending) if (await dispatchOne(s, id)) told++;
  return told;
}

/** Tells what a transaction recorded; a failure here is logged and left to the sweep, never undoes the event. */
export const dispatchSoon = (s: Services) =>
  dispatchPending(s).catch((err) => s.logger.error('negotiation dispatch failed', { error: (err as Error).message }));

async function dispatchOne(s: Services, id: string): Promise<boolean> {
  const now = s.clock.now();
  const mails: { to: string; subject: string; text: string }[] = [];
  const claimed = await s.db.transaction(async (tx) => {
    const [h] = await tx
      .update(negotiationHappenings)
      .set({ dispatchedAt: now })
      .where(and(eq(negotiationHappenings.id, id), isNull(negotiationHappenings.dispatchedAt)))
      .returning();
    if (!h) return false;
    const { title, audience } = h.data as { title: string; audience: Audience };
    const link = `/negotiations/${h.negotiationId}`;
    const to = await recipients(tx, h.negotiationId, audience, h.actor);
    if (to.length > 0)
      await tx.insert(notifications).values(
        to.map((subject) => ({
          id: newId('ntf', now.getTime()),
          subject,
          kind: h.type.startsWith('negotiation.') ? h.type : `negotiation.${h.type}`,
          title: title.slice(0, 300),
          link,
          createdAt: now,
        })),
      );
    if (to.length > 0) {
      const contacts = await tx.select().from(negotiationContacts).where(inArray(negotiationContacts.subject, to));
      for (const c of contacts)
        if (c.email)
          mails.push({
            to: c.email,
            subject: `EUCAIM access request: ${title}`.slice(0, 200),
            text: `${title}\n\nSee ${s.config.PUBLIC_URL}${link}\n`,
          });
    }
    const hooks = await tx.select({ id: negotiationWebhooks.id }).from(negotiationWebhooks).where(eq(negotiationWebhooks.active, true));
    if (hooks.length > 0) {
      const payload = webhookPayload(h);
      await tx
        .insert(negotiationWebhookDeliveries)
        .values(hooks.map((w) => ({ id: newId('whd', now.getTime()), webhookId: w.id, happeningId: h.id, payload, nextAttemptAt: now })))
        .onConflictDoNothing();
    }
    return true;
  });
  for (const m of mails)
    await s.mailer.send(m).catch((err) => s.logger.warn('negotiation mail failed', { happening: id, error: (err as Error).message }));
  return claimed;
}

/** Remembers where to mail a user and whether they are an admin; written only when something changed. */
export async function rememberContact(
  db: Database,
  c: { subject: string; email?: string; name?: string; admin: boolean },
  now: Date,
): Promise<void> {
  const values = { subject: c.subject, email: c.email ?? null, name: c.name ?? null, admin: c.admin, updatedAt: now };
  await db
    .insert(negotiationContacts)
    .values(values)
    .onConflictDoUpdate({
      target: negotiationContacts.subject,
      set: { email: values.email, name: values.name, admin: values.admin, updatedAt: now },
      where: sql`(${negotiationContacts.email}, ${negotiationContacts.name}, ${negotiationContacts.admin}) is distinct from (excluded.email, excluded.name, excluded.admin)`,
    });
}
