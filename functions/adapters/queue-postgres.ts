import { and, eq, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { JobQueue, LeasedJob, QueuedJob } from '../ports/queue.ts';
import { jobQueue } from './queue-postgres.sql.ts';

const POLL_MS = 200;

/** Sleeps until the poll interval passes, the caller gives up, or `wake` is called. */
const sleep = (ms: number, signal: AbortSignal | undefined, wakers: Set<() => void>) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wakers.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The embedded queue: a table the hub's long-poll endpoint leases from. `FOR UPDATE SKIP LOCKED`
 * lets concurrent polls of one node share the work without handing a job out twice.
 * Raw SQL binds dates as ISO text: postgres.js cannot serialise a Date without its type registry.
 */
export function createPostgresJobQueue(db: Database, clock: Clock): JobQueue {
  // Polls waiting in this process wake as soon as a job for their node is queued here; polls on other
  // instances (Lambda, Workers) still find it at their next interval.
  const waiting = new Map<string, Set<() => void>>();
  const wakersOf = (nodeId: string) => {
    const set = waiting.get(nodeId) ?? new Set<() => void>();
    waiting.set(nodeId, set);
    return set;
  };
  async function leaseOnce(nodeId: string, max: number, visibilityMs: number): Promise<LeasedJob[]> {
    const now = clock.now();
    const visibleAgain = new Date(now.getTime() + visibilityMs);
    const rows = await db.execute<{ job_id: string; jws: string; receipt: string }>(sql`
      UPDATE ${jobQueue} SET visible_at = ${visibleAgain.toISOString()}::timestamptz, receipt = gen_random_uuid()::text,
        deliveries = ${jobQueue.deliveries} + 1
      WHERE ${jobQueue.jobId} IN (
        SELECT ${jobQueue.jobId} FROM ${jobQueue}
        WHERE ${jobQueue.nodeId} = ${nodeId} AND ${jobQueue.visibleAt} <= ${now.toISOString()}::timestamptz AND ${jobQueue.expiresAt} > ${now.toISOString()}::timestamptz
        ORDER BY ${jobQueue.jobId} LIMIT ${max} FOR UPDATE SKIP LOCKED)
      RETURNING job_id, jws, receipt`);
    return rowsOf<{ job_id: string; jws: string; receipt: string }>(rows).map((r) => ({ jobId: r.job_id, jws: r.jws, receipt: r.receipt }));
  }

  async function enqueueMany(all: QueuedJob[]): ReturnType<JobQueue['enqueueMany']> {
    const now = clock.now();
    const live = all.filter((j) => j.notAfter.getTime() > now.getTime());
    if (live.length === 0) return { failed: [] };
    try {
      // One statement for the whole fan-out: per-row inserts cost a round trip (and a WAL flush) each.
      await db
        .insert(jobQueue)
        .values(live.map((j) => ({ jobId: j.jobId, nodeId: j.nodeId, jws: j.jws, visibleAt: now, expiresAt: j.notAfter })))
        .onConflictDoNothing();
    } catch (err) {
      return { failed: live.map((j) => ({ jobId: j.jobId, nodeId: j.nodeId, error: (err as Error).message })) };
    }
    for (const nodeId of new Set(live.map((j) => j.nodeId))) for (const wake of [...(waiting.get(nodeId) ?? [])]) wake();
    return { failed: [] };
  }

  return {
    kind: 'postgres',
    async enqueue(job: QueuedJob) {
      const { failed } = await enqueueMany([job]);
      if (failed[0]) throw new Error(failed[0].error);
    },
    enqueueMany,
    async lease(nodeId, { max, visibilityMs, waitMs, signal }) {
      const until = Date.now() + waitMs;
      for (;;) {
        const jobs = await leaseOnce(nodeId, max, visibilityMs);
        // Expired rows are never handed out; the periodic sweep (functions/maintenance.ts) deletes them.
        if (jobs.length > 0 || Date.now() >= until || signal?.aborted) return jobs;
        await sleep(Math.min(POLL_MS, until - Date.now()), signal, wakersOf(nodeId));
      }
    },
    async ack(nodeId, receipt) {
      const gone = await db
        .delete(jobQueue)
        .where(and(eq(jobQueue.nodeId, nodeId), eq(jobQueue.receipt, receipt)))
        .returning({ jobId: jobQueue.jobId });
      return gone.length > 0;
    },
  };
}
