import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import type { PublicJwk } from '../../shared/node-auth.ts';
import { createdAt, tstz } from '../db/columns.ts';

/** A data holder's bridge, registered by an admin with the public key it enrolled with. */
export const nodes = pgTable('nodes', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  publicJwk: jsonb('public_jwk').$type<PublicJwk>().notNull(),
  /** Where its jobs go when the hub delivers through SQS; null for the hub's own long-poll queue. */
  queueUrl: text('queue_url'),
  status: text('status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  lastSeenAt: tstz('last_seen_at'),
  version: text('version'),
  /** The bridge protocol its last heartbeat named (null: a bridge from before versioning, protocol 1). */
  protocol: integer('protocol'),
  /** The filters the node says it can evaluate, from its latest heartbeat that carried them. */
  capabilities: jsonb('capabilities').$type<CapabilityManifest>(),
  capabilitiesAt: tstz('capabilities_at'),
  registeredAt: createdAt(),
});

export const nodeAdmins = pgTable(
  'node_admins',
  {
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.subject] }), index('node_admins_subject').on(t.subject)],
);

/** The datasets a node says it serves (from its heartbeat); the catalogue will own their metadata. */
export const nodeDatasets = pgTable(
  'node_datasets',
  {
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    datasetId: text('dataset_id').notNull(),
    name: text('name').notNull(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.datasetId] })],
);

/** What bridges report: refused jobs (wrong node, bad signature, replay...) and handler failures. */
export const nodeReports = pgTable(
  'node_reports',
  {
    id: text('id').primaryKey(),
    nodeId: text('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    jobId: text('job_id'),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('node_reports_node').on(t.nodeId, t.createdAt)],
);

/** Single-use node token ids, kept until they expire: a replayed bridge call is refused. */
export const usedNodeTokens = pgTable(
  'used_node_tokens',
  { jti: text('jti').primaryKey(), nodeId: text('node_id').notNull(), expiresAt: tstz('expires_at').notNull() },
  (t) => [index('used_node_tokens_expiry').on(t.expiresAt)],
);
