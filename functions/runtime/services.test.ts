import { describe, expect, it } from 'vitest';
import { ConfigError, loadHubConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { JobQueue } from '../ports/queue.ts';
import type { TaskQueue } from '../ports/task-queue.ts';
import { assembleServices, type RuntimeParts } from './services.ts';

// Assembling only picks and constructs adapters; nothing here talks to a database or a network.
const parts = (extra: Partial<RuntimeParts> = {}): RuntimeParts =>
  ({ db: {} as Database, clock: { now: () => new Date() }, tracerSequencer: 'direct', ...extra }) as RuntimeParts;
const config = (env: Record<string, string> = {}) => loadHubConfig({ PUBLIC_URL: 'http://127.0.0.1:8080', ...env });

describe('the services every runtime assembles', () => {
  it('keep the queues, the helpdesk and the mail in the database by default', () => {
    const s = assembleServices(config(), parts());
    expect([s.jobQueue.kind, s.taskQueue.kind, s.helpdesk.kind, s.mailer.kind]).toEqual(['postgres', 'postgres', 'embedded', 'outbox']);
  });

  it('choose what the settings name where the runtime can reach it', () => {
    const sqs = { jobQueue: () => ({ kind: 'sqs' }) as JobQueue, taskQueue: () => ({ kind: 'sqs' }) as TaskQueue };
    const s = assembleServices(
      config({
        JOB_QUEUE: 'sqs',
        SQS_QUEUE_URL_TEMPLATE: 'http://127.0.0.1:9324/queue/{nodeId}',
        TASK_QUEUE: 'sqs',
        TASK_QUEUE_URL: 'http://127.0.0.1:9324/queue/tasks',
        HELPDESK: 'zammad',
        ZAMMAD_URL: 'http://127.0.0.1:3000',
        ZAMMAD_TOKEN: 'a-zammad-token-of-length',
        ZAMMAD_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
      }),
      parts({ sqs }),
    );
    expect([s.jobQueue.kind, s.taskQueue.kind, s.helpdesk.kind]).toEqual(['sqs', 'sqs', 'zammad']);
  });

  it.each([
    ['JOB_QUEUE', { JOB_QUEUE: 'sqs', SQS_QUEUE_URL_TEMPLATE: 'http://127.0.0.1:9324/queue/{nodeId}' }],
    ['MAILER', { MAILER: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' }],
  ])('refuse %s naming the setting where the runtime cannot reach it', (setting, env) => {
    expect(() => assembleServices(config(env), parts())).toThrow(ConfigError);
    expect(() => assembleServices(config(env), parts())).toThrow(new RegExp(`^invalid configuration: ${setting}: `));
  });
});
