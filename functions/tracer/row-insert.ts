import { type SQL, sql } from 'drizzle-orm';
import type { TraceEntry } from '../../shared/tracer/entry.ts';

/**
 * Entries and the subtrees they complete, in ONE statement: each JSON array is a single parameter,
 * so a batch of any size costs one round trip and never meets the 65,535-parameter limit.
 */
export function insertEntriesAndNodes(entries: TraceEntry[], nodes: { level: number; idx: number; hash: string }[]): SQL {
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
  return sql`with added as (
      insert into tracer_entries (seq, id, timestamp, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash)
      select seq, id, timestamp, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(seq bigint, id uuid, timestamp text, submitter text, user_id text,
        user_action text, dataset_ids text[], payload jsonb, prev_hash text, hash text)
      returning seq)
    insert into tracer_nodes (level, idx, hash)
    select level, idx, hash from jsonb_to_recordset(${JSON.stringify(nodes)}::jsonb) as y(level smallint, idx bigint, hash text)`;
}
