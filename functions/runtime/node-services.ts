import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateNodeKeyPair, type PrivateJwk, ed25519PrivateJwkSchema } from '../../shared/node-auth.ts';
import { makeS3Client, makeSqsClient } from '../adapters/aws-clients.ts';
import { openPglite } from '../adapters/db-pglite.ts';
import { openPostgres } from '../adapters/db-postgres.ts';
import { createSqsJobQueue, queueUrlTemplate } from '../adapters/queue-sqs.ts';
import { createSmtpMailer } from '../adapters/mailer-smtp.ts';
import { createFsObjectStore } from '../adapters/store-fs.ts';
import { createS3ObjectStore } from '../adapters/store-s3.ts';
import { createSqsTaskQueue } from '../adapters/task-queue-sqs.ts';
import type { HubConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createOidcVerifier, oidcVerifierOptions } from '../identity/oidc-verifier.ts';
import { createJobSigner } from '../jobs/job-signer.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import { type Logger, jsonLogger } from '../ports/logger.ts';
import type { Services } from '../services.ts';
import { type CheckpointSigner, createCheckpointSigner, refusingCheckpointSigner } from '../tracer/checkpoint-signer.ts';
import { useNodeSha256 } from '../tracer/node-sha256.ts';
import { createGrantSigner, type GrantSigner, refusingGrantSigner } from '../negotiation/grant-signer.ts';
import { assembleServices } from './services.ts';

/**
 * Builds the hub's services for a Node process (local `npm start`, Lambda, tests): embedded
 * defaults for everything not configured, real adapters for everything that is.
 */
export async function createNodeServices(
  config: HubConfig,
  opts: { clock?: Clock; logger?: Logger; migrate?: boolean; database?: DatabaseHandle; generateTracerKey?: boolean } = {},
): Promise<{ services: Services; database: DatabaseHandle; close(): Promise<void> }> {
  // The tracer hashes every entry it appends, serves or audits; on Node, OpenSSL does that faster than JavaScript.
  useNodeSha256();
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? jsonLogger({ service: 'hub' }, undefined, config.LOG_LEVEL);
  const database =
    opts.database ?? (config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : await openPglite(path.join(config.DATA_DIR, 'pg')));
  if (opts.migrate ?? true) await migrateDatabase(database);
  const aws = { endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION };

  const services: Services = assembleServices(config, {
    db: database.db,
    clock,
    logger,
    objectStore:
      config.OBJECT_STORE === 's3'
        ? createS3ObjectStore({ client: makeS3Client(aws), bucket: config.S3_BUCKET as string })
        : createFsObjectStore(path.join(config.DATA_DIR, 'objects')),
    users: createOidcVerifier(oidcVerifierOptions(config)),
    jobSigner: await createJobSigner(config.JOB_SIGNING_KEY ?? (await localJobKey(config.DATA_DIR)), config.PUBLIC_URL),
    grantSigner: await grantSigner(config, opts.generateTracerKey ?? true),
    checkpointSigner: await tracerSigner(config, opts.generateTracerKey ?? true),
    tracerSequencer: config.TRACER_SEQUENCER,
    sqs: {
      jobQueue: () =>
        createSqsJobQueue({ client: makeSqsClient(aws), queueUrlFor: queueUrlTemplate(config.SQS_QUEUE_URL_TEMPLATE as string) }),
      taskQueue: () => createSqsTaskQueue({ client: makeSqsClient(aws), queueUrl: config.TASK_QUEUE_URL as string }),
    },
    smtp: () => createSmtpMailer({ url: config.SMTP_URL as string, from: config.MAIL_FROM }),
  });
  // A database handed in belongs to the caller, who closes it.
  return { services, database, close: () => (opts.database ? Promise.resolve() : database.close()) };
}

/** Where no key is configured and none may be generated (Lambda), the tracer cannot publish checkpoints and says so. */
/** Like the tracer key: generated beside the data where there is a disk to keep it on, refused by name where not (Lambda). */
async function grantSigner(config: HubConfig, generate: boolean): Promise<GrantSigner> {
  if (config.GRANT_SIGNING_KEY) return createGrantSigner(config.GRANT_SIGNING_KEY, config.PUBLIC_URL);
  if (!generate) return refusingGrantSigner(config.PUBLIC_URL);
  return createGrantSigner(await localJobKey(config.DATA_DIR, 'grant-key.json'), config.PUBLIC_URL);
}

async function tracerSigner(config: HubConfig, generate: boolean): Promise<CheckpointSigner> {
  if (config.TRACER_SIGNING_KEY) return createCheckpointSigner(config.TRACER_SIGNING_KEY, config.PUBLIC_URL);
  if (!generate) return refusingCheckpointSigner(config.PUBLIC_URL);
  return createCheckpointSigner(await localJobKey(config.DATA_DIR, 'tracer-key.json'), config.PUBLIC_URL);
}

/** The embedded default: a key (job key, tracer key) generated once and kept beside the data, readable by root only. */
async function localJobKey(dataDir: string, name = 'hub-job-key.json'): Promise<PrivateJwk> {
  const file = path.join(dataDir, name);
  try {
    return ed25519PrivateJwkSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`unreadable key ${file}`);
  }
  await mkdir(dataDir, { recursive: true });
  const { privateJwk } = await generateNodeKeyPair();
  await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
  return privateJwk;
}
