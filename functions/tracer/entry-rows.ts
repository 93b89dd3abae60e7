import { and, arrayOverlaps, asc, eq, gte, inArray, type SQL, or } from 'drizzle-orm';
import { z } from 'zod';
import { userActionSchema } from '../../shared/tracer/actions.ts';
import type { TraceEntry } from '../../shared/tracer/entry.ts';
import type { Database } from '../db/client.ts';
import { tracerEntries } from './tracer.sql.ts';

const many = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).max(50)])
    .transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[])
    .optional();

/** The CHAIMELEON-style query: each filter may repeat (OR within a filter, AND across filters). */
export const traceQuerySchema = z
  .object({
    datasetId: many(z.string().min(1).max(200)),
    userId: many(z.string().min(1).max(200)),
    userAction: many(userActionSchema),
    skip: z.coerce.number().int().min(0).default(0),
    /**
     * Not in CHAIMELEON's API: start at this position (keyset paging). `skip` makes the database walk
     * every row it skips, so reading a whole log by `skip` is quadratic; by `fromSeq` each page is one
     * index range, and workers can read pages side by side.
     */
    fromSeq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
  })
  .strict();
export type TraceQuery = z.infer<typeof traceQuerySchema>;

/** What the caller may see: everything (admins), or their own traces and those of datasets they represent. */
export type Visibility = { all: true } | { all: false; userId: string; datasets: string[] };

const columns = {
  seq: tracerEntries.seq,
  id: tracerEntries.id,
  timestamp: tracerEntries.timestamp,
  submitter: tracerEntries.submitter,
  userId: tracerEntries.userId,
  userAction: tracerEntries.userAction,
  datasetIds: tracerEntries.datasetIds,
  payload: tracerEntries.payload,
  prevHash: tracerEntries.prevHash,
  hash: tracerEntries.hash,
};

export const toEntry = (r: { [K in keyof typeof columns]: unknown }): TraceEntry => r as TraceEntry;

/** The query as SQL conditions, each one served by an index (GIN on dataset_ids, btree on user and action). */
export function traceConditions(q: Pick<TraceQuery, 'datasetId' | 'userId' | 'userAction' | 'fromSeq'>, v: Visibility): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (q.fromSeq !== undefined) parts.push(gte(tracerEntries.seq, q.fromSeq));
  if (q.datasetId?.length) parts.push(arrayOverlaps(tracerEntries.datasetIds, q.datasetId));
  if (q.userId?.length) parts.push(inArray(tracerEntries.userId, q.userId));
  if (q.userAction?.length) parts.push(inArray(tracerEntries.userAction, q.userAction));
  if (!v.all) {
    const own = eq(tracerEntries.userId, v.userId);
    parts.push(v.datasets.length ? or(own, arrayOverlaps(tracerEntries.datasetIds, v.datasets)) : own);
  }
  return and(...parts);
}

export function traceListQuery(db: Database, q: TraceQuery, v: Visibility) {
  return db.select(columns).from(tracerEntries).where(traceConditions(q, v)).orderBy(asc(tracerEntries.seq)).offset(q.skip).limit(q.limit);
}

export async function entryById(db: Database, id: string): Promise<TraceEntry | undefined> {
  const [row] = await db.select(columns).from(tracerEntries).where(eq(tracerEntries.id, id));
  return row ? toEntry(row) : undefined;
}

/** Entries in position order from `from`, for audits and the verifier's download. */
export async function entryPage(db: Database, from: number, limit: number): Promise<TraceEntry[]> {
  const rows = await db
    .select(columns)
    .from(tracerEntries)
    .where(gte(tracerEntries.seq, from))
    .orderBy(asc(tracerEntries.seq))
    .limit(limit);
  return rows.map(toEntry);
}
