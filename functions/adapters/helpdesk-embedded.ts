import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { Helpdesk, HelpdeskCustomer } from '../ports/helpdesk.ts';
import { deskArticles, deskCustomers, deskTickets } from './helpdesk-embedded.sql.ts';

/** Ticket numbers read like a helpdesk's ("EH-1042"), so the demo and Zammad look alike to users. */
export const deskNumber = (id: number) => `EH-${1000 + id}`;

async function customerId(db: Database, c: HelpdeskCustomer): Promise<number> {
  const email = c.email.toLowerCase();
  // One statement: two first tickets from the same person cannot create two customers.
  const [row] = await db
    .insert(deskCustomers)
    .values({ email, name: c.name ?? null })
    .onConflictDoUpdate({ target: deskCustomers.email, set: { name: sql`coalesce(${deskCustomers.name}, excluded.name)` } })
    .returning({ id: deskCustomers.id });
  return row!.id;
}

/** The local default: tickets in the hub's own tables, answered by platform admins in the agent view. */
export function createEmbeddedHelpdesk(db: Database, clock: Clock): Helpdesk {
  return {
    kind: 'embedded',
    async findOrCreateCustomer(c) {
      return { customerId: String(await customerId(db, c)) };
    },
    async createTicket(t) {
      const customer = await customerId(db, t.customer);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [ticket] = await tx
          .insert(deskTickets)
          .values({ group: t.group, title: t.title, customerId: customer, createdAt: now, updatedAt: now })
          .returning({ id: deskTickets.id });
        const [article] = await tx
          .insert(deskArticles)
          .values({ ticketId: ticket!.id, sender: 'customer', author: t.customer.email, body: t.body, createdAt: now })
          .returning({ id: deskArticles.id });
        return { externalId: String(ticket!.id), number: deskNumber(ticket!.id), articleId: String(article!.id) };
      });
    },
    async addArticle(externalId, a) {
      const now = clock.now();
      const [row] = await db
        .insert(deskArticles)
        .values({ ticketId: Number(externalId), sender: 'customer', author: a.customerEmail, body: a.body, createdAt: now })
        .returning({ id: deskArticles.id });
      await db
        .update(deskTickets)
        .set({ updatedAt: now })
        .where(eq(deskTickets.id, Number(externalId)));
      return { articleId: String(row!.id) };
    },
    async listCustomerTickets(email) {
      const rows = await db
        .select({
          id: deskTickets.id,
          title: deskTickets.title,
          group: deskTickets.group,
          state: deskTickets.state,
          updatedAt: deskTickets.updatedAt,
        })
        .from(deskTickets)
        .innerJoin(deskCustomers, eq(deskCustomers.id, deskTickets.customerId))
        .where(eq(deskCustomers.email, email.toLowerCase()))
        .orderBy(desc(deskTickets.id));
      return rows.map((r) => ({
        externalId: String(r.id),
        number: deskNumber(r.id),
        title: r.title,
        group: r.group,
        state: r.state,
        updatedAt: r.updatedAt,
      }));
    },
  };
}
