import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { HelpdeskUnavailable } from '../adapters/helpdesk-zammad.ts';
import { notify } from '../notifications/notify.ts';
import type { HelpdeskGroup, TicketState } from '../ports/helpdesk.ts';
import type { Services } from '../services.ts';
import { helpdeskArticles, helpdeskTickets } from './helpdesk.sql.ts';
import { retryDelayMs } from '../retry-delay.ts';

type Deps = Pick<Services, 'db' | 'clock' | 'helpdesk' | 'logger'>;
export type TicketKind = (typeof helpdeskTickets.$inferSelect)['kind'];

/** Longest ticket or reply text, in characters: more is a 413, not a truncated ticket. */
export const MAX_TICKET_TEXT = 20_000;

export function assertTextSize(text: string): void {
  if (text.length > MAX_TICKET_TEXT) throw new AppError('payload_too_large', `ticket text is limited to ${MAX_TICKET_TEXT} characters`);
}

export interface TicketRequest {
  owner: string | null;
  customer: { email: string; name?: string };
  kind: TicketKind;
  group: HelpdeskGroup;
  title: string;
  body: string;
  /** What the flow knows (node id, biobank name, page...), put above the text for the agents. */
  context: Record<string, string>;
}

/** Context first, as "key: value" lines, so the first-level team sees what the flow filled in. */
export function composeBody(context: Record<string, string>, body: string): string {
  const lines = Object.entries(context).map(([k, v]) => `${k}: ${v}`);
  return lines.length ? `${lines.join('\n')}\n\n${body}` : body;
}

/** Retry delays after the n-th failure: 30 s doubling, at most an hour, so a long outage costs little. */
export const backoffMs = (attempts: number): number => retryDelayMs(attempts, 3_600_000);

/** How long one delivery may hold its claim before another sweep may try the same ticket. */
const CLAIM_MS = 120_000;

/**
 * Stores the request, then hands it to the helpdesk at once. If the helpdesk is down or slow the
 * request stays queued (the sweep retries with backoff) and the answer says so.
 */
export async function openTicket(s: Deps, req: TicketRequest): Promise<{ id: string; delivery: 'queued' | 'sent' }> {
  assertTextSize(req.body);
  const now = s.clock.now();
  const id = newId('tkt', now.getTime());
  await s.db.transaction(async (tx) => {
    await tx.insert(helpdeskTickets).values({
      id,
      owner: req.owner,
      customerEmail: req.customer.email.toLowerCase(),
      customerName: req.customer.name ?? null,
      kind: req.kind,
      group: req.group,
      title: req.title,
      context: req.context,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await tx
      .insert(helpdeskArticles)
      .values({ id: newId('art', now.getTime()), ticketId: id, from: 'customer', body: req.body, delivery: 'queued', createdAt: now });
  });
  return { id, delivery: await deliverTicket(s, id) };
}

/** A follow-up from the ticket's customer, delivered now or with the ticket's next retry. */
export async function addCustomerArticle(s: Deps, ticketId: string, body: string): Promise<'queued' | 'sent'> {
  assertTextSize(body);
  const now = s.clock.now();
  const id = newId('art', now.getTime());
  await s.db.insert(helpdeskArticles).values({ id, ticketId, from: 'customer', body, delivery: 'queued', createdAt: now });
  await s.db.update(helpdeskTickets).set({ nextAttemptAt: now, updatedAt: now }).where(eq(helpdeskTickets.id, ticketId));
  await deliverTicket(s, ticketId);
  // The article's own state: the ticket may be at the helpdesk while this follow-up still waits.
  const [row] = await s.db.select({ delivery: helpdeskArticles.delivery }).from(helpdeskArticles).where(eq(helpdeskArticles.id, id));
  return row?.delivery ?? 'queued';
}

/**
 * Sends whatever of one ticket the helpdesk has not got yet: the ticket with its first article,
 * then queued follow-ups. A claim (moving the retry time forward) keeps two sweeps, or a sweep and
 * the request itself, from creating the ticket twice.
 */
export async function deliverTicket(s: Deps, ticketId: string): Promise<'queued' | 'sent'> {
  const now = s.clock.now();
  const [t] = await s.db
    .update(helpdeskTickets)
    .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) })
    .where(and(eq(helpdeskTickets.id, ticketId), lte(helpdeskTickets.nextAttemptAt, now)))
    .returning();
  if (!t) {
    const [row] = await s.db.select({ d: helpdeskTickets.delivery }).from(helpdeskTickets).where(eq(helpdeskTickets.id, ticketId));
    return row?.d ?? 'queued';
  }
  const queued = await s.db
    .select()
    .from(helpdeskArticles)
    .where(and(eq(helpdeskArticles.ticketId, ticketId), eq(helpdeskArticles.delivery, 'queued')))
    .orderBy(asc(helpdeskArticles.createdAt), asc(helpdeskArticles.id));
  let externalId = t.externalId;
  try {
    let rest = queued;
    if (!externalId) {
      const [first, ...others] = queued;
      const created = await s.helpdesk.createTicket({
        group: t.group as HelpdeskGroup,
        title: t.title,
        customer: { email: t.customerEmail, name: t.customerName ?? undefined },
        body: composeBody(t.context, first?.body ?? ''),
      });
      externalId = created.externalId;
      const ids = { ticket: created.externalId, firstArticle: created.articleId ?? null };
      // One transaction: a webhook about the opening article finds either no ticket yet, or the ticket
      // with that article known as the customer's own (recordAgentReply), never the ticket alone.
      await s.db.transaction(async (tx) => {
        if (first)
          await tx
            .update(helpdeskArticles)
            .set({ delivery: 'sent', externalId: ids.firstArticle })
            .where(eq(helpdeskArticles.id, first.id));
        await tx
          .update(helpdeskTickets)
          .set({ delivery: 'sent', externalId: ids.ticket, number: created.number })
          .where(eq(helpdeskTickets.id, ticketId));
      });
      rest = others;
    }
    for (const a of rest) {
      const sent = await s.helpdesk.addArticle(externalId, { body: a.body, customerEmail: t.customerEmail });
      await s.db.update(helpdeskArticles).set({ delivery: 'sent', externalId: sent.articleId }).where(eq(helpdeskArticles.id, a.id));
    }
    await s.db.update(helpdeskTickets).set({ nextAttemptAt: null, attempts: 0, lastError: null }).where(eq(helpdeskTickets.id, ticketId));
    return 'sent';
  } catch (err) {
    const attempts = t.attempts + 1;
    const message = err instanceof HelpdeskUnavailable ? err.message : 'helpdesk error';
    s.logger.warn('helpdesk delivery failed; will retry', { ticketId, attempts, error: message });
    await s.db
      .update(helpdeskTickets)
      .set({ attempts, lastError: message, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
      .where(eq(helpdeskTickets.id, ticketId));
    return externalId ? 'sent' : 'queued';
  }
}

/** The sweep's part: retries every ticket whose retry time has come. */
export async function deliverPending(s: Deps, limit = 20): Promise<{ tried: number; sent: number }> {
  const due = await s.db
    .select({ id: helpdeskTickets.id })
    .from(helpdeskTickets)
    .where(and(isNotNull(helpdeskTickets.nextAttemptAt), lte(helpdeskTickets.nextAttemptAt, s.clock.now())))
    .orderBy(asc(helpdeskTickets.nextAttemptAt))
    .limit(limit);
  let sent = 0;
  for (const { id } of due) {
    const before = await s.db
      .select({ n: sql<number>`count(*)::int` })
      .from(helpdeskArticles)
      .where(and(eq(helpdeskArticles.ticketId, id), eq(helpdeskArticles.delivery, 'queued')));
    if ((await deliverTicket(s, id)) === 'sent' && (before[0]?.n ?? 0) > 0) sent++;
  }
  return { tried: due.length, sent };
}

/**
 * A reply from the helpdesk (Zammad's webhook, or an admin in the embedded agent view): recorded
 * once per helpdesk article id, and the ticket's owner is notified in-app. An article the platform
 * wrote itself (the opening message, a follow-up: their helpdesk ids are kept on the customer's rows)
 * is never a reply, whatever the helpdesk says its sender was.
 */
export async function recordAgentReply(
  s: Pick<Services, 'db' | 'clock'>,
  reply: { externalTicketId: string; externalArticleId?: string; body?: string; state?: TicketState },
): Promise<{ recorded: boolean; ticketId?: string }> {
  const [t] = await s.db.select().from(helpdeskTickets).where(eq(helpdeskTickets.externalId, reply.externalTicketId));
  if (!t) return { recorded: false };
  const now = s.clock.now();
  let added = false;
  const ours =
    reply.externalArticleId !== undefined &&
    (
      await s.db
        .select({ id: helpdeskArticles.id })
        .from(helpdeskArticles)
        .where(
          and(
            eq(helpdeskArticles.ticketId, t.id),
            eq(helpdeskArticles.externalId, reply.externalArticleId),
            eq(helpdeskArticles.from, 'customer'),
          ),
        )
    ).length > 0;
  if (reply.body && !ours) {
    const rows = await s.db
      .insert(helpdeskArticles)
      .values({
        id: newId('art', now.getTime()),
        ticketId: t.id,
        from: 'agent',
        body: reply.body,
        externalId: reply.externalArticleId ?? null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: helpdeskArticles.id });
    added = rows.length === 1;
  }
  await s.db
    .update(helpdeskTickets)
    .set({ updatedAt: now, ...(reply.state ? { state: reply.state } : {}) })
    .where(eq(helpdeskTickets.id, t.id));
  if (added && t.owner) {
    await notify(
      s.db,
      t.owner,
      { kind: 'helpdesk.reply', title: `New reply on ticket ${t.number ?? ''}: ${t.title}`, link: `/helpdesk/tickets/${t.id}` },
      now,
    );
  }
  return { recorded: added, ticketId: t.id };
}
