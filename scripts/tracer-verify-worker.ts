// A worker thread of the threaded verifier (scripts/tracer-verify-threads.ts): it fetches or receives
// one page of the log, validates it, hashes every entry and its Merkle leaf, and hands back only
// what the chain and tree checks in the main thread need.
import { parentPort } from 'node:worker_threads';
import postgres from 'postgres';
import { z } from 'zod';
import { useNodeSha256 } from '../functions/tracer/node-sha256.ts';
import { type TraceEntry, entryHash, traceEntrySchema } from '../shared/tracer/entry.ts';
import { leafHex } from '../shared/tracer/sha256.ts';
import type { HashedPage, PageTask } from './tracer-verify-threads.ts';

useNodeSha256();
const page = z.object({ traces: z.array(traceEntrySchema) });
let sql: postgres.Sql | undefined;

async function load(task: PageTask): Promise<TraceEntry[]> {
  if (task.kind === 'entries') return task.entries;
  if (task.kind === 'http') {
    const res = await fetch(task.url, { headers: task.token ? { authorization: `Bearer ${task.token}` } : {} });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`GET ${new URL(task.url).pathname}: ${res.status} ${JSON.stringify(body)}`);
    return page.parse(body).traces;
  }
  sql ??= postgres(task.databaseUrl, { max: 1, onnotice: () => {} });
  const rows = await sql<
    {
      seq: string;
      id: string;
      timestamp: string;
      submitter: string;
      user_id: string;
      user_action: string;
      dataset_ids: string[];
      payload: Record<string, unknown>;
      prev_hash: string;
      hash: string;
    }[]
  >`
    select seq, id, timestamp, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash
    from tracer_entries where seq >= ${task.from} and seq < ${task.from + task.limit} order by seq`;
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    timestamp: r.timestamp,
    submitter: r.submitter,
    userId: r.user_id,
    userAction: r.user_action as TraceEntry['userAction'],
    datasetIds: r.dataset_ids,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

function hashAll(entries: TraceEntry[]): Omit<HashedPage, 'id'> {
  const n = entries.length;
  const seqs = new Float64Array(n);
  const matches = new Uint8Array(n);
  const leaves: string[] = new Array(n);
  const prevHashes: string[] = new Array(n);
  const hashes: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const hash = entryHash(e);
    seqs[i] = e.seq;
    prevHashes[i] = e.prevHash;
    hashes[i] = e.hash;
    matches[i] = hash === e.hash ? 1 : 0;
    leaves[i] = leafHex(hash);
  }
  return { seqs, matches, leaves, prevHashes, hashes };
}

parentPort?.on('message', async (task: PageTask & { id: number }) => {
  try {
    const hashed = hashAll(await load(task));
    parentPort?.postMessage({ id: task.id, ...hashed }, [hashed.seqs.buffer, hashed.matches.buffer] as ArrayBuffer[]);
  } catch (err) {
    parentPort?.postMessage({ id: task.id, error: (err as Error).message });
  }
});
parentPort?.on('close', () => void sql?.end());
