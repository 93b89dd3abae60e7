import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type ReceiveMessageCommandOutput,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { JobQueue, LeasedJob, QueuedJob } from '../ports/queue.ts';

/** Node ids become part of a queue name (max 80 characters); this keeps them out of the URL path. */
const NODE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
// SQS's own bounds: ReceiveMessage takes 1..10 messages, long-polls at most 20 s, hides up to 12 h.
const MAX_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Number.isNaN(value) ? min : value));

/** Turns `https://sqs.eu-west-1.amazonaws.com/123456789012/eucaim-node-{nodeId}` into a URL per node. */
export function queueUrlTemplate(template: string): (nodeId: string) => string {
  if (!template.includes('{nodeId}')) throw new Error('the SQS queue URL template must contain {nodeId}');
  new URL(template.replaceAll('{nodeId}', 'n0')); // fail at start, not on the first job
  return (nodeId) => {
    if (!NODE_ID.test(nodeId)) throw new Error(`node id not usable in a queue name: ${JSON.stringify(nodeId.slice(0, 80))}`);
    return template.replaceAll('{nodeId}', nodeId);
  };
}

/**
 * Errors that mean "this receipt will never delete anything". Standard queues accept a stale but
 * well-formed receipt and delete the message anyway, so SQS can only answer false for receipts that
 * are malformed or belong to another queue; FIFO queues also reject expired ones.
 */
function isBadReceipt(err: unknown): boolean {
  const { name = '', message = '' } = err as { name?: string; message?: string };
  if (name === 'ReceiptHandleIsInvalid' || name === 'InvalidIdFormat') return true;
  return name === 'InvalidParameterValue' && /receipt ?handle/i.test(message);
}

const attributes = (job: QueuedJob) => ({
  jobId: { DataType: 'String', StringValue: job.jobId },
  nodeId: { DataType: 'String', StringValue: job.nodeId },
});

/**
 * One SQS queue per node: the bridge may long-poll its own queue directly with credentials scoped
 * to it, and the hub never has to filter one node's jobs out of another's.
 */
export function createSqsJobQueue(opts: { client: SQSClient; queueUrlFor: (nodeId: string) => string }): JobQueue {
  const { client, queueUrlFor } = opts;
  return {
    kind: 'sqs',

    async enqueue(job: QueuedJob) {
      // Its signature has expired: the node would refuse it, so it is not worth a message.
      if (job.notAfter.getTime() <= Date.now()) return;
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrlFor(job.nodeId),
          MessageBody: job.jws,
          MessageAttributes: attributes(job),
        }),
      );
    },

    async enqueueMany(all: QueuedJob[]) {
      const failed: { jobId: string; nodeId: string; error: string }[] = [];
      // A batch goes to one queue and holds at most 10 messages: group by node, then chunk.
      const byNode = new Map<string, QueuedJob[]>();
      for (const job of all) if (job.notAfter.getTime() > Date.now()) byNode.set(job.nodeId, [...(byNode.get(job.nodeId) ?? []), job]);
      const batches = [...byNode].flatMap(([nodeId, jobs]) =>
        Array.from({ length: Math.ceil(jobs.length / MAX_BATCH) }, (_, i) => ({
          nodeId,
          jobs: jobs.slice(i * MAX_BATCH, (i + 1) * MAX_BATCH),
        })),
      );
      await Promise.all(
        batches.map(async ({ nodeId, jobs }) => {
          try {
            const res = await client.send(
              new SendMessageBatchCommand({
                QueueUrl: queueUrlFor(nodeId),
                // Entry ids only need to be unique within the batch; the position is enough to map failures back.
                Entries: jobs.map((job, i) => ({ Id: String(i), MessageBody: job.jws, MessageAttributes: attributes(job) })),
              }),
            );
            for (const f of res.Failed ?? []) {
              const job = jobs[Number(f.Id)];
              if (job) failed.push({ jobId: job.jobId, nodeId, error: `${f.Code ?? 'failed'}: ${f.Message ?? ''}`.trim() });
            }
          } catch (err) {
            for (const job of jobs) failed.push({ jobId: job.jobId, nodeId, error: (err as Error).message });
          }
        }),
      );
      return { failed };
    },

    async lease(nodeId, { max, visibilityMs, waitMs, signal }) {
      const QueueUrl = queueUrlFor(nodeId);
      if (signal?.aborted) return [];
      const command = new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: clamp(Math.floor(max), 1, MAX_BATCH),
        WaitTimeSeconds: clamp(Math.ceil(waitMs / 1000), 0, MAX_WAIT_SECONDS),
        VisibilityTimeout: clamp(Math.ceil(visibilityMs / 1000), 0, MAX_VISIBILITY_SECONDS),
        MessageAttributeNames: ['jobId', 'nodeId'],
      });
      let res: ReceiveMessageCommandOutput;
      try {
        res = await client.send(command, { abortSignal: signal });
      } catch (err) {
        // The caller gave up (client gone, shutdown): like the Postgres queue, answer "nothing".
        // A message received in flight stays hidden until its visibility timeout, then returns.
        if (signal?.aborted) return [];
        throw err;
      }
      const byMessage = new Map<string, LeasedJob>();
      for (const message of res.Messages ?? []) {
        const jobId = message.MessageAttributes?.jobId?.StringValue;
        // Not one of ours: leave it to the queue's redrive policy rather than deliver or delete it.
        if (!jobId || message.Body === undefined || !message.ReceiptHandle) continue;
        // Keyed by message id: a receive must not hand out one job twice (local stand-ins can).
        byMessage.set(message.MessageId ?? message.ReceiptHandle, { receipt: message.ReceiptHandle, jobId, jws: message.Body });
      }
      return [...byMessage.values()];
    },

    async ack(nodeId, receipt) {
      if (receipt === '') return false;
      try {
        await client.send(new DeleteMessageCommand({ QueueUrl: queueUrlFor(nodeId), ReceiptHandle: receipt }));
        return true;
      } catch (err) {
        if (isBadReceipt(err)) return false;
        throw err;
      }
    },
  };
}
