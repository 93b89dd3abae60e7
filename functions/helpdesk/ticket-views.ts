import { asc, desc, eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { Database } from '../db/client.ts';
import type { UserPrincipal } from '../middleware/guards.ts';
import { helpdeskArticles, helpdeskTickets } from './helpdesk.sql.ts';

type TicketRow = typeof helpdeskTickets.$inferSelect;

function summary(t: TicketRow) {
  return {
    id: t.id,
    kind: t.kind,
    group: t.group,
    title: t.title,
    number: t.number,
    /** `queued` while the helpdesk has not accepted it yet; otherwise the helpdesk's state. */
    status: t.delivery === 'queued' ? ('queued' as const) : t.state,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export async function listOwnTickets(db: Database, owner: string) {
  const rows = await db
    .select()
    .from(helpdeskTickets)
    .where(eq(helpdeskTickets.owner, owner))
    .orderBy(desc(helpdeskTickets.createdAt))
    .limit(200);
  return rows.map(summary);
}

/** One ticket with its conversation: its owner and platform admins only (403 for anyone else). */
export async function ticketDetail(db: Database, id: string, who: UserPrincipal) {
  const [t] = await db.select().from(helpdeskTickets).where(eq(helpdeskTickets.id, id));
  if (!t) throw new AppError('not_found', 'no such ticket');
  if (t.owner !== who.user.sub && !who.admin) throw new AppError('forbidden', 'this ticket belongs to someone else');
  const articles = await db
    .select()
    .from(helpdeskArticles)
    .where(eq(helpdeskArticles.ticketId, id))
    .orderBy(asc(helpdeskArticles.createdAt), asc(helpdeskArticles.id));
  return {
    ...summary(t),
    owner: t.owner,
    context: t.context,
    articles: articles.map((a) => ({ id: a.id, from: a.from, body: a.body, delivery: a.delivery, createdAt: a.createdAt.toISOString() })),
  };
}
