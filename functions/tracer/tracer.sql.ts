import { bigint, index, pgTable, smallint, text, uuid, jsonb, primaryKey, timestamp } from 'drizzle-orm/pg-core';

/*
 * The tracer's tables are deliberately NOT exported from functions/db/schema.ts. They are created by
 * a hand-written migration (append-only triggers and a restricted role, which drizzle-kit cannot
 * express); if drizzle-kit saw them in the schema, every later `generate` would try to create them
 * again. drizzle's query builder works with these table objects all the same.
 */

/** The append-only hash chain: one row per trace; `seq` is also the entry's Merkle leaf index. */
export const tracerEntries = pgTable(
  'tracer_entries',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    // Kept as the exact string that was hashed: a timestamptz round trip could change its spelling.
    timestamp: text('timestamp').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    submitter: text('submitter').notNull(),
    userId: text('user_id').notNull(),
    userAction: text('user_action').notNull(),
    datasetIds: text('dataset_ids').array().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('tracer_entries_user').on(t.userId, t.seq),
    index('tracer_entries_action').on(t.userAction, t.seq),
    index('tracer_entries_datasets').using('gin', t.datasetIds),
  ],
);

/** Hashes of complete Merkle subtrees (2^level leaves from index * 2^level): proofs without rescans. */
export const tracerNodes = pgTable(
  'tracer_nodes',
  { level: smallint('level').notNull(), idx: bigint('idx', { mode: 'number' }).notNull(), hash: text('hash').notNull() },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** Signed tree heads, as published. */
export const tracerCheckpoints = pgTable('tracer_checkpoints', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  rootHash: text('root_hash').notNull(),
  timestamp: text('timestamp').notNull(),
  origin: text('origin').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});
