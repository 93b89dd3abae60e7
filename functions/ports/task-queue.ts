import { z } from 'zod';

/** Work the hub schedules for itself, e.g. closing a search when its deadline passes. */
export const hubTaskSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('search.deadline'), searchId: z.string().max(64) })]);
export type HubTask = z.infer<typeof hubTaskSchema>;

/**
 * Delayed hub tasks: a Postgres table drained by the Node process and by cron on Workers, or SQS
 * feeding the Lambda consumer. Handling is idempotent, so at-least-once delivery is fine.
 */
export interface TaskQueue {
  readonly kind: 'postgres' | 'sqs';
  send(task: HubTask, opts?: { delaySeconds?: number }): Promise<void>;
}
