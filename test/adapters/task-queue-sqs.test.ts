import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsTaskQueue, parseTaskMessage } from '../../functions/adapters/task-queue-sqs.ts';
import type { HubTask } from '../../functions/ports/task-queue.ts';
import { type SqsServer, startSqsServer } from '../support/aws-servers.ts';

describe('SQS task queue', () => {
  let sqs: SqsServer;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startSqsServer();
    client = sqs.client();
  });
  afterAll(async () => {
    await sqs?.close();
  });

  const newQueue = () => sqs.createQueue(`hub-tasks-${randomUUID().slice(0, 8)}`);
  const receiveBodies = async (QueueUrl: string) => {
    const res = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    return (res.Messages ?? []).map((m) => m.Body ?? '');
  };

  it('round-trips a task through a message the consumer can parse', async () => {
    const queueUrl = await newQueue();
    const tasks = createSqsTaskQueue({ client, queueUrl });
    const task: HubTask = { type: 'search.deadline', searchId: `srch_${randomUUID().slice(0, 12)}` };
    expect(tasks.kind).toBe('sqs');
    await tasks.send(task, { delaySeconds: -5 });
    const bodies = await receiveBodies(queueUrl);
    expect(bodies).toHaveLength(1);
    expect(parseTaskMessage(bodies[0]!)).toEqual(task);
  });

  it('cuts a delay beyond what SQS allows instead of failing the send', async () => {
    const queueUrl = await newQueue();
    const tasks = createSqsTaskQueue({ client, queueUrl });
    await tasks.send({ type: 'search.deadline', searchId: 'srch_later' }, { delaySeconds: 86_400 });
    expect(await receiveBodies(queueUrl), 'delayed, so not yet visible').toEqual([]);
  });

  it('refuses to send a task that does not match the schema', async () => {
    const queueUrl = await newQueue();
    const tasks = createSqsTaskQueue({ client, queueUrl });
    const bad = { type: 'search.deadline', searchId: 'x'.repeat(65) } as HubTask;
    await expect(tasks.send(bad)).rejects.toThrow();
    await expect(tasks.send({ type: 'drop.tables' } as unknown as HubTask)).rejects.toThrow();
    expect(await receiveBodies(queueUrl)).toEqual([]);
  });

  it.each([
    ['not JSON', 'search.deadline:abc', /not JSON/],
    ['an unknown type', '{"type":"drop.tables"}', /type|Invalid/],
    ['a missing field', '{"type":"search.deadline"}', /searchId|Invalid/],
    ['a bare string', '"search.deadline"', /Invalid|object/],
  ])('refuses a message body that is %s', (_what, body, error) => {
    expect(() => parseTaskMessage(body)).toThrow(error);
  });
});
