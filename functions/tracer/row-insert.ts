import { type SQL, sql } from 'drizzle-orm';
import type { TraceEntry } from '../../shared/tracer/entry.ts';

/**
 * Entries and the subtrees they complete, in ONE statement: each JSON array is a single parameter,
 * so a batch of any size costs one round trip and never meets the 65,535-parameter limit.
 */
export function insertEntriesAndNodes(entries: TraceEntry[], nodes: { level: number; idx: number; hash: string }[]): SQL {
  return sql`with added as (
      insert into tracer_entries (seq, id, timestamp, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash)
      select seq, id, timestamp, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash
      from jsonb_to_recordset(${entryRowsJson(entries)}::jsonb) as x(seq bigint, id uuid, timestamp text, submitter text, user_id text,
        user_action text, dataset_ids text[], payload jsonb, prev_hash text, hash text)
      returning seq)
    insert into tracer_nodes (level, idx, hash)
    select level, idx, hash from jsonb_to_recordset(${JSON.stringify(nodes)}::jsonb) as y(level smallint, idx bigint, hash text)`;
}

/**
 * The append of a live log, in ONE statement (migration 0005's tracer_append): under the log's
 * advisory lock it checks that the head is still the one the batch was hashed onto, and only then
 * stores entries and subtrees. Answers whether it appended, and the head it found.
 */
export function appendIfHeadIs(
  head: { size: number; hash: string },
  entries: TraceEntry[],
  nodes: { level: number; idx: number; hash: string }[],
): SQL {
  return sql`select appended, head_size, head_hash
    from tracer_append(${head.size}::bigint, ${head.hash}::text, ${entryRowsJson(entries)}::jsonb, ${JSON.stringify(nodes)}::jsonb)`;
}

function entryRowsJson(entries: TraceEntry[]): string {
  const rows = entries.map((e) => ({
    seq: e.seq,
    id: e.id,
    timestamp: e.timestamp,
    submitter: e.submitter,
    user_id: e.userId,
    user_action: e.userAction,
    dataset_ids: e.datasetIds,
    payload: e.payload,
    prev_hash: e.prevHash,
    hash: e.hash,
  }));
  return JSON.stringify(rows);
}
