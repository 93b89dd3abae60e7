import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';
import { nodes } from '../nodes/nodes.sql.ts';

/** The hub's record of every job it signed, whatever queue carried it. */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['dispatched', 'done', 'failed', 'refused'] })
      .notNull()
      .default('dispatched'),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [index('jobs_node_status').on(t.nodeId, t.status)],
);
