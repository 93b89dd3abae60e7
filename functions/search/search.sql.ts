import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
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
    /** SHA-256 of the canonical query, so equal queries can be found without comparing trees. */
    queryHash: text('query_hash'),
  },
  (t) => [index('searches_owner').on(t.owner, t.createdAt)],
);

/**
 * Every node ends in one of these: answered, unsupported (it cannot apply some keys, so it gives no
 * counts), error, timed_out (no answer by the deadline) or skipped (offline when the search started).
 */
export const searchNodeStatuses = ['pending', 'answered', 'unsupported', 'error', 'timed_out', 'skipped'] as const;
export type SearchNodeStatus = (typeof searchNodeStatuses)[number];

export const searchNodes = pgTable(
  'search_nodes',
  {
    searchId: text('search_id')
      .notNull()
      .references(() => searches.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** Null for a skipped node: nothing was sent to it. */
    jobId: text('job_id').unique(),
    status: text('status', { enum: searchNodeStatuses }).notNull().default('pending'),
    result: jsonb('result').$type<CountResult>(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    unsupportedKeys: jsonb('unsupported_keys').$type<string[]>(),
    answeredAt: tstz('answered_at'),
  },
  (t) => [primaryKey({ columns: [t.searchId, t.nodeId] })],
);

/** Who searched for what and when: one row per search, kept when the search itself is deleted. */
export const searchAudit = pgTable(
  'search_audit',
  {
    id: text('id').primaryKey(),
    searchId: text('search_id').notNull(),
    subject: text('subject').notNull(),
    queryHash: text('query_hash').notNull(),
    deadlineSeconds: integer('deadline_seconds').notNull(),
    nodesAsked: integer('nodes_asked').notNull(),
    nodesSkipped: integer('nodes_skipped').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('search_audit_subject').on(t.subject, t.createdAt), index('search_audit_hash').on(t.queryHash)],
);
