import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type HubTask, type TaskQueue, hubTaskSchema } from '../ports/task-queue.ts';

/** SQS delays a message by at most 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/**
 * Hub tasks as SQS messages for the Lambda consumer. A delay beyond 15 minutes is cut to 15, so a
 * task can arrive before it is due: handlers compare against their own deadline and send again.
 */
export function createSqsTaskQueue(opts: { client: SQSClient; queueUrl: string }): TaskQueue {
  const { client, queueUrl } = opts;
  return {
    kind: 'sqs',
    async send(task, sendOpts) {
      const delay = sendOpts?.delaySeconds ?? 0;
      // Rounded up: a task must never run earlier than asked because of a fraction of a second.
      const DelaySeconds = Number.isNaN(delay) ? 0 : Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delay)));
      await client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(hubTaskSchema.parse(task)), DelaySeconds }),
      );
    },
  };
}

/** Reads an SQS message body back into a task; throws on anything else, so the batch item fails. */
export function parseTaskMessage(body: string): HubTask {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error('hub task message body is not JSON');
  }
  return hubTaskSchema.parse(raw);
}
