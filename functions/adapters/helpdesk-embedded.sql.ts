import { index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';

// The embedded helpdesk: a small Zammad-like store in the hub's own database, worked by platform
// admins through the agent view. Numeric ids, as a real helpdesk gives.
export const deskCustomers = pgTable('desk_customers', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name'),
  createdAt: createdAt(),
});

export const deskTickets = pgTable(
  'desk_tickets',
  {
    id: serial('id').primaryKey(),
    group: text('group').notNull(),
    title: text('title').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => deskCustomers.id),
    state: text('state', { enum: ['new', 'open', 'pending', 'closed'] })
      .notNull()
      .default('new'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('desk_tickets_customer').on(t.customerId), index('desk_tickets_updated').on(t.updatedAt)],
);

export const deskArticles = pgTable(
  'desk_articles',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => deskTickets.id, { onDelete: 'cascade' }),
    sender: text('sender', { enum: ['customer', 'agent'] }).notNull(),
    author: text('author'),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('desk_articles_ticket').on(t.ticketId)],
);
