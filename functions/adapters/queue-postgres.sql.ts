import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';

/** The embedded job queue: one row per undelivered or unacknowledged job. */
export const jobQueue = pgTable(
  'job_queue',
  {
    jobId: text('job_id').primaryKey(),
    nodeId: text('node_id').notNull(),
    jws: text('jws').notNull(),
    visibleAt: tstz('visible_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    receipt: text('receipt'),
    deliveries: integer('deliveries').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('job_queue_node_visible').on(t.nodeId, t.visibleAt)],
);

/** Delayed hub tasks for the embedded default and Workers (SQS carries them on AWS). */
export const hubTasks = pgTable(
  'hub_tasks',
  {
    id: text('id').primaryKey(),
    task: text('task').notNull(),
    runAt: tstz('run_at').notNull(),
    lockedUntil: tstz('locked_until'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('hub_tasks_run_at').on(t.runAt)],
);
