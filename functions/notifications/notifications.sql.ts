import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';

/** In-app notices for one user (a helpdesk reply, a negotiation step): what, where to look, read or not. */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    link: text('link'),
    readAt: tstz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_subject').on(t.subject, t.createdAt)],
);
