import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';

/**
 * Every ticket the platform opened, whichever helpdesk holds it: the owner check, "my tickets" and
 * the retry of requests the helpdesk could not take yet all read this table, never the helpdesk.
 */
export const helpdeskTickets = pgTable(
  'helpdesk_tickets',
  {
    id: text('id').primaryKey(),
    /** The user who asked; null for anonymous expressions of interest and system tickets. */
    owner: text('owner'),
    customerEmail: text('customer_email').notNull(),
    customerName: text('customer_name'),
    kind: text('kind', { enum: ['help', 'biobank', 'search_provider', 'tool', 'interest', 'node_offline'] }).notNull(),
    group: text('group').notNull(),
    title: text('title').notNull(),
    context: jsonb('context').$type<Record<string, string>>().notNull(),
    /** queued until the helpdesk accepted it; then sent, with the helpdesk's id and number. */
    delivery: text('delivery', { enum: ['queued', 'sent'] })
      .notNull()
      .default('queued'),
    externalId: text('external_id'),
    number: text('number'),
    state: text('state', { enum: ['new', 'open', 'pending', 'closed'] })
      .notNull()
      .default('new'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('helpdesk_tickets_owner').on(t.owner, t.createdAt),
    index('helpdesk_tickets_queued').on(t.delivery, t.nextAttemptAt),
    uniqueIndex('helpdesk_tickets_external').on(t.externalId),
  ],
);

/** The conversation as the platform knows it: what the user wrote and the replies that came back. */
export const helpdeskArticles = pgTable(
  'helpdesk_articles',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id')
      .notNull()
      .references(() => helpdeskTickets.id, { onDelete: 'cascade' }),
    from: text('from', { enum: ['customer', 'agent'] }).notNull(),
    body: text('body').notNull(),
    /** The helpdesk's article id: a webhook delivered twice records the reply once. */
    externalId: text('external_id'),
    delivery: text('delivery', { enum: ['queued', 'sent'] })
      .notNull()
      .default('sent'),
    createdAt: createdAt(),
  },
  (t) => [
    index('helpdesk_articles_ticket').on(t.ticketId, t.createdAt),
    uniqueIndex('helpdesk_articles_external').on(t.ticketId, t.externalId),
  ],
);

/** Seed 5.1's form, kept as submitted (the ticket carries a copy for the consortium). */
export const expressionsOfInterest = pgTable('expressions_of_interest', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  form: jsonb('form').$type<Record<string, unknown>>().notNull(),
  ticketId: text('ticket_id'),
  createdAt: createdAt(),
});

/** Fixed-window counters for anonymous posting, keyed by a hash of the e-mail or client address. */
export const helpdeskRateLimits = pgTable(
  'helpdesk_rate_limits',
  { key: text('key').notNull(), windowStart: tstz('window_start').notNull(), count: integer('count').notNull().default(0) },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** One row per outage (node and the last-seen time it went silent at): the ticket is opened once. */
export const nodeOutageTickets = pgTable(
  'node_outage_tickets',
  { nodeId: text('node_id').notNull(), silentSince: tstz('silent_since').notNull(), ticketId: text('ticket_id'), createdAt: createdAt() },
  (t) => [primaryKey({ columns: [t.nodeId, t.silentSince] })],
);
