import { createEmbeddedHelpdesk } from '../adapters/helpdesk-embedded.ts';
import { createZammadHelpdesk } from '../adapters/helpdesk-zammad.ts';
import { createOutboxMailer } from '../adapters/mailer-outbox.ts';
import { createPostgresJobQueue } from '../adapters/queue-postgres.ts';
import { createPostgresTaskQueue } from '../adapters/task-queue-postgres.ts';
import { ConfigError, type HubConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { UserVerifier } from '../identity/principal.ts';
import type { JobSigner } from '../jobs/job-signer.ts';
import type { GrantSigner } from '../negotiation/grant-signer.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { JobQueue } from '../ports/queue.ts';
import type { TaskQueue } from '../ports/task-queue.ts';
import type { Services } from '../services.ts';
import type { CheckpointSigner } from '../tracer/checkpoint-signer.ts';
import { createTracer } from '../tracer/tracer-service.ts';

/**
 * What only the runtime knows: its database client, where objects and keys come from, and which
 * outside services it can reach at all (SQS needs the AWS SDK, SMTP needs Node's sockets).
 */
export interface RuntimeParts {
  db: Database;
  clock: Clock;
  logger: Logger;
  objectStore: ObjectStore;
  users: UserVerifier;
  jobSigner: JobSigner;
  grantSigner: GrantSigner;
  checkpointSigner: CheckpointSigner;
  /** How the tracer orders appends: `direct` where there is no long-lived process to batch in (Workers). */
  tracerSequencer: HubConfig['TRACER_SEQUENCER'];
  /** The queues on SQS, where the runtime can load the AWS SDK; otherwise only the database tables are possible. */
  sqs?: { jobQueue(): JobQueue; taskQueue(): TaskQueue };
  /** Mail over SMTP, where the runtime can open sockets for nodemailer; otherwise only the outbox table. */
  smtp?: () => Mailer;
}

function reachable<T>(part: T | undefined, setting: string, value: string): T {
  if (!part) throw new ConfigError(`invalid configuration: ${setting}: ${value} is not available on this runtime`);
  return part;
}

/**
 * The hub's services, put together the same way on every runtime (Node, Lambda, Workers): each
 * setting chooses its adapter here, once, and the runtime only hands in its own parts.
 */
export function assembleServices(config: HubConfig, parts: RuntimeParts): Services {
  const { db, clock } = parts;
  return {
    config,
    db,
    jobQueue: config.JOB_QUEUE === 'sqs' ? reachable(parts.sqs, 'JOB_QUEUE', 'sqs').jobQueue() : createPostgresJobQueue(db, clock),
    taskQueue: config.TASK_QUEUE === 'sqs' ? reachable(parts.sqs, 'TASK_QUEUE', 'sqs').taskQueue() : createPostgresTaskQueue(db, clock),
    objectStore: parts.objectStore,
    clock,
    logger: parts.logger,
    users: parts.users,
    jobSigner: parts.jobSigner,
    grantSigner: parts.grantSigner,
    tracer: createTracer({
      db,
      clock,
      signer: parts.checkpointSigner,
      checkpointEvery: config.TRACER_CHECKPOINT_EVERY,
      checkpointSeconds: config.TRACER_CHECKPOINT_SECONDS,
      sequencer: parts.tracerSequencer,
    }),
    helpdesk:
      config.HELPDESK === 'zammad'
        ? createZammadHelpdesk({
            url: config.ZAMMAD_URL as string,
            token: config.ZAMMAD_TOKEN as string,
            timeoutMs: config.ZAMMAD_TIMEOUT_MS,
          })
        : createEmbeddedHelpdesk(db, clock),
    mailer: config.MAILER === 'smtp' ? reachable(parts.smtp, 'MAILER', 'smtp')() : createOutboxMailer(db, clock, config.MAIL_FROM),
  };
}
