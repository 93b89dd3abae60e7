import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.ts';

/** What a run found and did; `reason` says why a failed run stopped (the catalogue was left as it was). */
export interface HarvestReport {
  documents: number;
  bytes: number;
  datasets: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Ids the catalogue already holds from another door (API registration or another source). */
  conflicts: string[];
  /** Datasets the source describes but the profile refuses; kept as they were, not withdrawn. */
  rejected: { id: string | null; subject: string; problems: { path: string; message: string }[] }[];
  withdrawn: string[];
  /** Documents below the root that could not be read: skipped, and nothing they might list is withdrawn. */
  failures?: { url: string; reason: string; message: string }[];
  /** How the source was walked: along LDP containers, or (without them) the reference FDP's links. */
  navigation?: { containers: number; links: number };
}

/** A node's FAIR Data Point the hub harvests, on demand and every `intervalMinutes` when set. */
export const harvestSources = pgTable(
  'harvest_sources',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    /** The node whose FAIR Data Point this is: its admins review the datasets harvested from it. */
    nodeId: text('node_id'),
    /** A trusted source publishes what it lists; an untrusted one's new datasets arrive as drafts for the node's admins. */
    trusted: boolean('trusted').notNull().default(false),
    intervalMinutes: integer('interval_minutes'),
    nextRunAt: tstz('next_run_at'),
    /** A lease: set while a run is in progress, so two sweeps (or a sweep and an admin) never run one source twice. */
    runningUntil: tstz('running_until'),
    lastRunAt: tstz('last_run_at'),
    lastRunId: text('last_run_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('harvest_sources_next_run').on(t.nextRunAt)],
);

export const harvestRuns = pgTable(
  'harvest_runs',
  {
    id: text('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => harvestSources.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: ['manual', 'schedule'] }).notNull(),
    /** `partial`: the walk skipped documents it could not read (see report.failures). */
    status: text('status', { enum: ['succeeded', 'partial', 'failed'] }).notNull(),
    /** A failed run's reason code (`timeout`, `off_origin`, `too_large`...) and message. */
    reason: text('reason'),
    message: text('message'),
    report: jsonb('report').$type<HarvestReport>().notNull(),
    startedAt: tstz('started_at').notNull(),
    finishedAt: tstz('finished_at').notNull(),
  },
  (t) => [index('harvest_runs_source').on(t.sourceId, t.startedAt)],
);
