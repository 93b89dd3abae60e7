import type { HubConfig } from './config.ts';
import type { Database } from './db/client.ts';
import type { UserVerifier } from './identity/principal.ts';
import type { JobSigner } from './jobs/job-signer.ts';
import type { GrantSigner } from './negotiation/grant-signer.ts';
import type { Clock } from './ports/clock.ts';
import type { Helpdesk } from './ports/helpdesk.ts';
import type { Logger } from './ports/logger.ts';
import type { Mailer } from './ports/mailer.ts';
import type { ObjectStore } from './ports/object-store.ts';
import type { JobQueue } from './ports/queue.ts';
import type { TaskQueue } from './ports/task-queue.ts';
import type { Tracer } from './tracer/tracer-service.ts';

/** Everything the hub's routes may touch. Each runtime entry builds one and hands it to `buildApp`. */
export interface Services {
  config: HubConfig;
  db: Database;
  jobQueue: JobQueue;
  taskQueue: TaskQueue;
  objectStore: ObjectStore;
  clock: Clock;
  logger: Logger;
  users: UserVerifier;
  jobSigner: JobSigner;
  tracer: Tracer;
  grantSigner: GrantSigner;
  helpdesk: Helpdesk;
  mailer: Mailer;
}
