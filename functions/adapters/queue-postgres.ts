import { and, eq, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { JobQueue, LeasedJob, QueuedJob } from '../ports/queue.ts';
import { jobQueue } from './queue-postgres.sql.ts';

const POLL_MS = 200;

/**
 * A long-poll sleeping in this process. An enqueue takes it off the waiting list, so exactly one
 * fan-out hands it jobs, and `deliver` ends its sleep with those jobs (or with none: lease again).
 */
interface Waiter {
  max: number;
  visibilityMs: number;
  deliver(jobs: LeasedJob[]): void;
}

/**
 * Sleeps until the poll interval passes, the caller gives up, or an enqueue hands this poll its jobs.
 * Once claimed, neither the timer nor an abort ends the sleep: the jobs are already recorded as
 * leased to this poll, and returning them is the only way they can still reach the node.
 */
function sleep(ms: number, signal: AbortSignal | undefined, set: Set<Waiter>, opts: { max: number; visibilityMs: number }) {
  return new Promise<LeasedJob[]>((resolve) => {
    const finish = (jobs: LeasedJob[]) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', giveUp);
      resolve(jobs);
    };
    const waiter: Waiter = { ...opts, deliver: finish };
    const giveUp = () => {
      if (set.delete(waiter)) finish([]);
    };
    const timer = setTimeout(giveUp, ms);
    set.add(waiter);
    signal?.addEventListener('abort', giveUp, { once: true });
  });
}

/**
 * The embedded queue: a table the hub's long-poll endpoint leases from. `FOR UPDATE SKIP LOCKED`
 * lets concurrent polls of one node share the work without handing a job out twice.
 * Raw SQL binds dates as ISO text: postgres.js cannot serialise a Date without its type registry.
 */
export function createPostgresJobQueue(db: Database, clock: Clock): JobQueue {
  // Polls waiting in this process are handed their jobs by the enqueue itself; polls on other
  // instances (Lambda, Workers) still find them at their next interval.
  const waiting = new Map<string, Set<Waiter>>();
  // Bumped per node once an insert of visible jobs has committed. A lease statement that was already
  // running may not see those rows; its poll would then sleep a whole interval with a job waiting.
  const committed = new Map<string, number>();
  const waitersOf = (nodeId: string) => {
    const set = waiting.get(nodeId) ?? new Set<Waiter>();
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

  /**
   * Picks, synchronously, a waiting poll for each job whose node has one (up to the poll's `max`).
   * Those rows are inserted already leased (receipt, hidden for the poll's visibility time,
   * deliveries 1), so a crash or a lost response only delays the job until it becomes visible again.
   */
  function claimWaiters(live: QueuedJob[]) {
    const handOffs: { waiter: Waiter; jobs: LeasedJob[] }[] = [];
    const current = new Map<string, { waiter: Waiter; jobs: LeasedJob[] }>();
    for (const j of live) {
      let h = current.get(j.nodeId);
      if (!h || h.jobs.length >= h.waiter.max) {
        const set = waiting.get(j.nodeId);
        const next: Waiter | undefined = set?.values().next().value;
        if (!set || !next) continue; // no poll waiting: the job is inserted visible, for the next lease
        set.delete(next);
        h = { waiter: next, jobs: [] };
        handOffs.push(h);
        current.set(j.nodeId, h);
      }
      h.jobs.push({ jobId: j.jobId, jws: j.jws, receipt: crypto.randomUUID() });
    }
    return handOffs;
  }

  async function enqueueMany(all: QueuedJob[]): ReturnType<JobQueue['enqueueMany']> {
    const now = clock.now();
    const live = all.filter((j) => j.notAfter.getTime() > now.getTime());
    if (live.length === 0) return { failed: [] };
    const handOffs = claimWaiters(live);
    const leasedTo = new Map<string, { receipt: string; visibilityMs: number }>();
    for (const h of handOffs) for (const j of h.jobs) leasedTo.set(j.jobId, { receipt: j.receipt, visibilityMs: h.waiter.visibilityMs });
    let inserted: Set<string>;
    try {
      // One statement for the whole fan-out: per-row inserts cost a round trip (and a WAL flush) each.
      const rows = await db
        .insert(jobQueue)
        .values(
          live.map((j) => {
            const lease = leasedTo.get(j.jobId);
            if (!lease) return { jobId: j.jobId, nodeId: j.nodeId, jws: j.jws, visibleAt: now, expiresAt: j.notAfter };
            const visibleAt = new Date(now.getTime() + lease.visibilityMs);
            return {
              jobId: j.jobId,
              nodeId: j.nodeId,
              jws: j.jws,
              visibleAt,
              expiresAt: j.notAfter,
              receipt: lease.receipt,
              deliveries: 1,
            };
          }),
        )
        .onConflictDoNothing()
        .returning({ jobId: jobQueue.jobId });
      inserted = new Set(rows.map((r) => r.jobId));
    } catch (err) {
      // Nothing was stored: the claimed polls go back to leasing (and find nothing new).
      for (const h of handOffs) h.waiter.deliver([]);
      return { failed: live.map((j) => ({ jobId: j.jobId, nodeId: j.nodeId, error: (err as Error).message })) };
    }
    // A job id already queued was not inserted, so its row is not leased to this poll: hand only ours.
    for (const h of handOffs) h.waiter.deliver(h.jobs.filter((j) => inserted.has(j.jobId)));
    for (const nodeId of new Set(live.filter((j) => inserted.has(j.jobId) && !leasedTo.has(j.jobId)).map((j) => j.nodeId))) {
      committed.set(nodeId, (committed.get(nodeId) ?? 0) + 1);
      // Polls that began waiting while the insert ran were not handed these rows: they lease them now.
      for (const w of [...(waiting.get(nodeId) ?? [])]) {
        waiting.get(nodeId)?.delete(w);
        w.deliver([]);
      }
    }
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
        const seen = committed.get(nodeId);
        const jobs = await leaseOnce(nodeId, max, visibilityMs);
        // Expired rows are never handed out; the periodic sweep (functions/maintenance.ts) deletes them.
        if (jobs.length > 0 || Date.now() >= until || signal?.aborted) return jobs;
        if (committed.get(nodeId) !== seen) continue; // rows committed while that statement ran: look again
        const handed = await sleep(Math.min(POLL_MS, until - Date.now()), signal, waitersOf(nodeId), { max, visibilityMs });
        if (handed.length > 0) return handed;
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
