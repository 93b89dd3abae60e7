import { lt } from 'drizzle-orm';
import { jobQueue } from './adapters/queue-postgres.sql.ts';
import { drainPostgresTasks } from './adapters/task-queue-postgres.ts';
import { runDueHarvest } from './harvest/run.ts';
import { runHelpdeskSweep } from './helpdesk/sweep.ts';
import { runNegotiationSweep } from './negotiation/sweep.ts';
import { pruneUsedTokens } from './nodes/node-repo.ts';
import type { Services } from './services.ts';
import { publishDueCheckpoint } from './tracer/append.ts';
import { handleHubTask } from './tasks.ts';

/**
 * The hub's periodic sweep, run by whatever schedules work on each runtime (an interval on Node,
 * the cron trigger on Workers, an EventBridge cron on AWS): runs due tasks queued in Postgres,
 * forgets node token ids and queued jobs whose expiry has passed, and publishes the tracer's
 * time-based checkpoint when one is due (appends publish the count-based ones).
 */
export async function runMaintenance(s: Services) {
  const tasks =
    s.taskQueue.kind === 'postgres' ? await drainPostgresTasks(s.db, s.clock, (task) => handleHubTask(s, task)) : { done: 0, failed: 0 };
  await pruneUsedTokens(s);
  await publishDueCheckpoint(s.tracer.deps);
  const expiredJobs = await s.db.delete(jobQueue).where(lt(jobQueue.expiresAt, s.clock.now())).returning({ id: jobQueue.jobId });
  // Queued helpdesk requests, offline-node tickets; failures are logged there, never stop the sweep.
  await runHelpdeskSweep(s);
  // At most one due harvest source per sweep; the run records its own failures, bounded by HARVEST_DEADLINE_SECONDS.
  await runDueHarvest(s).catch((e) => s.logger.error('scheduled harvest failed', { error: (e as Error).message }));
  // Negotiation reminders, auto-close, pending notifications and webhook retries; logs its own failures.
  await runNegotiationSweep(s);
  return { tasksDone: tasks.done, tasksFailed: tasks.failed, expiredJobsRemoved: expiredJobs.length };
}
