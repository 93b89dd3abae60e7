import { bigint, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { NodeHealth } from '../../shared/processing/health.ts';
import type { RunOutcome } from '../../shared/processing/run.ts';
import type { ToolApproval } from '../../shared/processing/tool.ts';
import { createdAt, tstz } from '../db/columns.ts';
import { nodes } from '../nodes/nodes.sql.ts';

/** A tool version the platform admins approved: the whole approval as nodes receive it. */
export const tools = pgTable(
  'processing_tools',
  {
    id: text('id').notNull(),
    version: text('version').notNull(),
    approval: jsonb('approval').$type<ToolApproval>().notNull(),
    docsUrl: text('docs_url'),
    approvedBy: text('approved_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] })],
);

/** A node administrator's yes to one tool version on their node; no row = not allowed. */
export const nodeTools = pgTable(
  'processing_node_tools',
  {
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    toolId: text('tool_id').notNull(),
    toolVersion: text('tool_version').notNull(),
    approvedBy: text('approved_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.toolId, t.toolVersion] })],
);

/** The latest health report per node (the "EUCAIM network" table); older ones are not kept. */
export const nodeHealth = pgTable('processing_node_health', {
  nodeId: text('node_id')
    .primaryKey()
    .references(() => nodes.id, { onDelete: 'cascade' }),
  report: jsonb('report').$type<NodeHealth>().notNull(),
  receivedAt: tstz('received_at').notNull(),
});

export type RunNodeState =
  | 'pending'
  | 'dispatched'
  | 'queued'
  | 'running'
  | 'completed'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'not_allowed';

/** One researcher's run of one tool version over granted datasets on one or more nodes. */
export const runs = pgTable(
  'processing_runs',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    toolId: text('tool_id').notNull(),
    toolVersion: text('tool_version').notNull(),
    parameters: jsonb('parameters').$type<Record<string, string | number | boolean>>().notNull(),
    inputs: jsonb('inputs').$type<string[]>().notNull(),
    createdAt: createdAt(),
    cancelRequestedAt: tstz('cancel_requested_at'),
  },
  (t) => [index('processing_runs_owner').on(t.owner, t.createdAt)],
);

/** A node's part of a run: its own job, state and outcome as the node reported it. */
export const runNodes = pgTable(
  'processing_run_nodes',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    jobId: text('job_id').notNull(),
    state: text('state').$type<RunNodeState>().notNull(),
    /** The dataset ids this node reads, for traces. */
    datasets: jsonb('datasets').$type<string[]>().notNull(),
    outcome: jsonb('outcome').$type<RunOutcome>(),
    startedAt: tstz('started_at'),
    endedAt: tstz('ended_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.nodeId] })],
);

/**
 * Upload tokens of the embedded store, stored as their SHA-256 only: each binds one file of one
 * node's part of a run to its size and hash, expires, and is consumed by its first use.
 */
export const runUploads = pgTable(
  'processing_run_uploads',
  {
    tokenHash: text('token_hash').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    kind: text('kind').$type<'log' | 'output'>().notNull(),
    path: text('path').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    /** Set once the bytes are in the store and checked: what downloads list. */
    storedAt: tstz('stored_at'),
  },
  (t) => [index('processing_run_uploads_run').on(t.runId, t.nodeId)],
);
