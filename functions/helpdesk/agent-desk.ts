import { asc, desc, eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { deskNumber } from '../adapters/helpdesk-embedded.ts';
import { deskArticles, deskCustomers, deskTickets } from '../adapters/helpdesk-embedded.sql.ts';
import type { TicketState } from '../ports/helpdesk.ts';
import type { Services } from '../services.ts';
import { recordAgentReply } from './ticket-service.ts';

type Deps = Pick<Services, 'db' | 'clock'>;

/** The embedded helpdesk's queue as its agents (platform admins) see it, newest activity first. */
export async function listDesk(s: Deps, state?: TicketState) {
  const rows = await s.db
    .select({
      id: deskTickets.id,
      group: deskTickets.group,
      title: deskTickets.title,
      state: deskTickets.state,
      updatedAt: deskTickets.updatedAt,
      customer: deskCustomers.email,
    })
    .from(deskTickets)
    .innerJoin(deskCustomers, eq(deskCustomers.id, deskTickets.customerId))
    .where(state ? eq(deskTickets.state, state) : undefined)
    .orderBy(desc(deskTickets.updatedAt), desc(deskTickets.id))
    .limit(500);
  return rows.map((r) => ({ ...r, number: deskNumber(r.id), updatedAt: r.updatedAt.toISOString() }));
}

export async function readDesk(s: Deps, id: number) {
  const [t] = await s.db
    .select({
      id: deskTickets.id,
      group: deskTickets.group,
      title: deskTickets.title,
      state: deskTickets.state,
      updatedAt: deskTickets.updatedAt,
      customer: deskCustomers.email,
    })
    .from(deskTickets)
    .innerJoin(deskCustomers, eq(deskCustomers.id, deskTickets.customerId))
    .where(eq(deskTickets.id, id));
  if (!t) throw new AppError('not_found', 'no such helpdesk ticket');
  const articles = await s.db.select().from(deskArticles).where(eq(deskArticles.ticketId, id)).orderBy(asc(deskArticles.id));
  return {
    ...t,
    number: deskNumber(t.id),
    updatedAt: t.updatedAt.toISOString(),
    articles: articles.map((a) => ({ id: a.id, sender: a.sender, author: a.author, body: a.body, createdAt: a.createdAt.toISOString() })),
  };
}

/**
 * An agent's answer: stored in the desk, then handed to the platform exactly as Zammad's webhook
 * would be, so the user's copy and notification come from the same code path for both helpdesks.
 */
export async function replyDesk(s: Deps, id: number, agent: string, body: string) {
  const now = s.clock.now();
  const [t] = await s.db.select({ state: deskTickets.state }).from(deskTickets).where(eq(deskTickets.id, id));
  if (!t) throw new AppError('not_found', 'no such helpdesk ticket');
  const state: TicketState = t.state === 'new' ? 'open' : t.state;
  const [a] = await s.db
    .insert(deskArticles)
    .values({ ticketId: id, sender: 'agent', author: agent, body, createdAt: now })
    .returning({ id: deskArticles.id });
  await s.db.update(deskTickets).set({ state, updatedAt: now }).where(eq(deskTickets.id, id));
  await recordAgentReply(s, { externalTicketId: String(id), externalArticleId: String(a!.id), body, state });
  return { articleId: a!.id, state };
}

export async function setDeskState(s: Deps, id: number, state: TicketState) {
  const rows = await s.db
    .update(deskTickets)
    .set({ state, updatedAt: s.clock.now() })
    .where(eq(deskTickets.id, id))
    .returning({ id: deskTickets.id });
  if (rows.length === 0) throw new AppError('not_found', 'no such helpdesk ticket');
  await recordAgentReply(s, { externalTicketId: String(id), state });
  return { state };
}
