import { z } from 'zod';
import type { AwsStaticCredentials } from '../adapters/aws-clients.ts';
import { AppError, type ErrorBody } from '../../shared/errors.ts';
import { openPostgres } from '../adapters/db-postgres.ts';
import { ConfigError, type HubConfig, loadHubConfig } from '../config.ts';
import type { UserVerifier } from '../identity/principal.ts';
import { createOidcVerifier, oidcVerifierOptions } from '../identity/oidc-verifier.ts';
import { createJobSigner, type JobSigner } from '../jobs/job-signer.ts';
import { systemClock } from '../ports/clock.ts';
import { jsonLogger } from '../ports/logger.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { Services } from '../services.ts';
import { type CheckpointSigner, createCheckpointSigner, refusingCheckpointSigner } from '../tracer/checkpoint-signer.ts';
import { grantSignerFor } from '../negotiation/grant-signer.ts';
import { assembleServices } from './services.ts';

/**
 * The Worker's bindings: the hub's settings as [vars] and secrets, plus Hyperdrive. Typed here, by
 * hand, for what the hub reads, so `wrangler types` output is not needed to type-check.
 */
export interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string };
  [setting: string]: unknown;
}

/** The part of the Workers ExecutionContext the hub uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

const workerBindingsSchema = z.object({
  HYPERDRIVE: z.object(
    { connectionString: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string') },
    { error: 'a Hyperdrive binding named HYPERDRIVE is required ([[hyperdrive]] in wrangler.toml)' },
  ),
  // Secrets for the S3 store: Workers have no instance role for the SDK's credential chain to find.
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

const issue = (setting: string, message: string) => new ConfigError(`invalid configuration: ${setting}: ${message}`);

/** Validates the bindings, naming the first bad setting; the hub's own settings go through `loadHubConfig`. */
export function loadWorkerConfig(env: WorkerEnv) {
  const bindings = workerBindingsSchema.safeParse(env);
  if (!bindings.success) {
    const [first] = bindings.error.issues;
    throw issue(first?.path.join('.') || 'HYPERDRIVE', first?.message ?? 'invalid');
  }
  const config = loadHubConfig(env);
  // No disk to generate and keep a key on, and a key per isolate would sign jobs bridges cannot pin.
  if (!config.JOB_SIGNING_KEY) throw issue('JOB_SIGNING_KEY', 'required on Workers (wrangler secret put JOB_SIGNING_KEY)');
  // Both queues are tables in the Hyperdrive database: the bridge long-polls the hub, the cron drains tasks.
  if (config.JOB_QUEUE !== 'postgres') throw issue('JOB_QUEUE', 'only postgres is supported on Workers');
  if (config.TASK_QUEUE !== 'postgres') throw issue('TASK_QUEUE', 'only postgres is supported on Workers');
  // nodemailer needs Node's sockets: on Workers mail goes to the outbox table (or a relay reading it).
  if (config.MAILER !== 'outbox') throw issue('MAILER', 'only outbox is supported on Workers (nodemailer cannot run there)');
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = bindings.data;
  if (config.OBJECT_STORE === 's3' && !(AWS_ACCESS_KEY_ID && AWS_SECRET_ACCESS_KEY))
    throw issue('AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required when OBJECT_STORE=s3 on Workers');
  const credentials =
    AWS_ACCESS_KEY_ID && AWS_SECRET_ACCESS_KEY ? { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY } : undefined;
  return { config, jobKey: config.JOB_SIGNING_KEY, connectionString: bindings.data.HYPERDRIVE.connectionString, credentials };
}

/**
 * Workers have no filesystem, so the embedded object store cannot exist there. Rather than keep
 * objects in memory (lost with the isolate) the store refuses, so a route that needs objects fails
 * with a message saying what to configure. Point OBJECT_STORE=s3 at S3 or R2 to enable it.
 */
const refusingObjectStore: ObjectStore = (() => {
  const refuse = async (): Promise<never> => {
    throw new AppError('unavailable', 'object storage is not configured on this hub (set OBJECT_STORE=s3 and S3_BUCKET)');
  };
  return { kind: 'fs', put: refuse, get: refuse, head: refuse, delete: refuse, list: refuse };
})();

/**
 * Loaded on demand: the AWS SDK is the bulk of the bundle, and evaluating it at start-up would
 * count against every cold start's CPU budget even on hubs that store nothing.
 */
async function s3ObjectStore(config: HubConfig, credentials: AwsStaticCredentials | undefined): Promise<ObjectStore> {
  const [{ makeS3Client }, { createS3ObjectStore }] = await Promise.all([
    import('../adapters/aws-clients.ts'),
    import('../adapters/store-s3.ts'),
  ]);
  const client = makeS3Client({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION, credentials });
  return createS3ObjectStore({ client, bucket: config.S3_BUCKET as string });
}

// Per isolate, not per request: the verifier caches the issuer's key set and each token's userinfo, the signer its key id.
const verifiers = new Map<string, UserVerifier>();
const signers = new Map<string, Promise<JobSigner>>();

function verifierFor(config: HubConfig): UserVerifier {
  const options = oidcVerifierOptions(config);
  const key = JSON.stringify(options);
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createOidcVerifier(options);
    verifiers.set(key, verifier);
  }
  return verifier;
}

function signerFor(jobKey: NonNullable<HubConfig['JOB_SIGNING_KEY']>, issuer: string): Promise<JobSigner> {
  const key = `${jobKey.x} ${issuer}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = createJobSigner(jobKey, issuer);
    signers.set(key, signer);
  }
  return signer;
}

/** Without TRACER_SIGNING_KEY the tracer appends but cannot publish checkpoints, and says so on those routes. */
function tracerSignerFor(config: HubConfig): Promise<CheckpointSigner> {
  const key = config.TRACER_SIGNING_KEY;
  if (!key) return Promise.resolve(refusingCheckpointSigner(config.PUBLIC_URL));
  const cacheKey = `tracer ${key.x} ${config.PUBLIC_URL}`;
  let signer = tracerSigners.get(cacheKey);
  if (!signer) {
    signer = createCheckpointSigner(key, config.PUBLIC_URL);
    tracerSigners.set(cacheKey, signer);
  }
  return signer;
}
const tracerSigners = new Map<string, Promise<CheckpointSigner>>();

/**
 * The hub's services for one request or one cron run. The database client is per invocation:
 * Workers cannot carry a socket from one request to the next, and Hyperdrive pools for us.
 */
export async function createWorkerServices(env: WorkerEnv): Promise<{ services: Services; close(): Promise<void> }> {
  const { config, jobKey, connectionString, credentials } = loadWorkerConfig(env);
  const database = openPostgres(connectionString, { max: 1 });
  const clock = systemClock;
  const objectStore = config.OBJECT_STORE === 's3' ? await s3ObjectStore(config, credentials) : refusingObjectStore;
  // No SQS and no SMTP here: loadWorkerConfig refuses both settings by name, so the tables serve.
  const services: Services = assembleServices(config, {
    db: database.db,
    clock,
    logger: jsonLogger({ service: 'hub', runtime: 'workers' }, undefined, config.LOG_LEVEL),
    objectStore,
    users: verifierFor(config),
    jobSigner: await signerFor(jobKey, config.PUBLIC_URL),
    // Without GRANT_SIGNING_KEY no grant can be issued here, and the key route lists none.
    grantSigner: await grantSignerFor(config.GRANT_SIGNING_KEY, config.PUBLIC_URL),
    checkpointSigner: await tracerSignerFor(config),
    // Per request like the database client: batching happens across requests only through the advisory lock.
    tracerSequencer: 'direct',
  });
  return { services, close: () => database.close() };
}

/**
 * The answer when the Worker cannot start: the one error shape, naming the bad setting (never a
 * value, never a stack), so a misconfigured deploy says what to fix on its first request.
 */
export function startupErrorResponse(err: unknown): Response {
  const requestId = crypto.randomUUID();
  const message = err instanceof ConfigError ? err.message : 'internal error';
  console.error(
    JSON.stringify({ level: 'error', msg: 'hub failed to start', requestId, error: err instanceof Error ? err.message : String(err) }),
  );
  const body: ErrorBody = { error: { code: 'internal', message, requestId } };
  return Response.json(body, { status: 500 });
}
