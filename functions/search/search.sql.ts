import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { createdAt, tstz } from '../db/columns.ts';

export const searches = pgTable(
  'searches',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    query: jsonb('query').$type<QueryNode>().notNull(),
    /** The explorer's own id for the query, echoed back so its UI can match answers. */
    clientId: text('client_id'),
    createdAt: createdAt(),
    deadlineAt: tstz('deadline_at').notNull(),
  },
  (t) => [index('searches_owner').on(t.owner, t.createdAt)],
);

export const searchNodeStatuses = ['pending', 'answered', 'error', 'timed_out'] as const;

export const searchNodes = pgTable(
  'search_nodes',
  {
    searchId: text('search_id').notNull().references(() => searches.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    jobId: text('job_id').notNull().unique(),
    status: text('status', { enum: searchNodeStatuses }).notNull().default('pending'),
    result: jsonb('result').$type<CountResult>(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    answeredAt: tstz('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.searchId, t.nodeId] })],
);
