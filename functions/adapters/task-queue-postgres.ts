import { sql } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import { type Database, rowsOf } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import { type HubTask, type TaskQueue, hubTaskSchema } from '../ports/task-queue.ts';
import { hubTasks } from './queue-postgres.sql.ts';

export function createPostgresTaskQueue(db: Database, clock: Clock): TaskQueue {
  return {
    kind: 'postgres',
    async send(task, opts) {
      const runAt = new Date(clock.now().getTime() + (opts?.delaySeconds ?? 0) * 1000);
      await db.insert(hubTasks).values({ id: newId('evt'), task: JSON.stringify(hubTaskSchema.parse(task)), runAt });
    },
  };
}

/**
 * Runs the due tasks once; called by the Node process on an interval and by the Workers cron.
 * A task is locked for a minute while it runs; a failure leaves it to be retried after the lock.
 */
export async function drainPostgresTasks(
  db: Database,
  clock: Clock,
  handle: (task: HubTask) => Promise<void>,
  max = 20,
): Promise<{ done: number; failed: number }> {
  const now = clock.now();
  const lockUntil = new Date(now.getTime() + 60_000);
  const res = await db.execute<{ id: string; task: string }>(sql`
    UPDATE ${hubTasks} SET locked_until = ${lockUntil.toISOString()}::timestamptz, attempts = ${hubTasks.attempts} + 1
    WHERE ${hubTasks.id} IN (SELECT ${hubTasks.id} FROM ${hubTasks}
      WHERE ${hubTasks.runAt} <= ${now.toISOString()}::timestamptz AND (${hubTasks.lockedUntil} IS NULL OR ${hubTasks.lockedUntil} < ${now.toISOString()}::timestamptz)
      ORDER BY ${hubTasks.runAt} LIMIT ${max} FOR UPDATE SKIP LOCKED)
    RETURNING id, task`);
  const rows = rowsOf<{ id: string; task: string }>(res);
  let done = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      await handle(hubTaskSchema.parse(JSON.parse(row.task)));
      await db.execute(sql`DELETE FROM ${hubTasks} WHERE ${hubTasks.id} = ${row.id}`);
      done++;
    } catch {
      failed++;
    }
  }
  return { done, failed };
}
