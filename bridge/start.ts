import { SQSClient } from '@aws-sdk/client-sqs';
import type { PublicJwk } from '../shared/node-auth.ts';
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import type { BridgeConfig } from './config.ts';
import { HandledJobStore } from './handled-jobs.ts';
import { HubClient } from './hub-client.ts';
import { SafeJobError } from './job-handler.ts';
import { type NodeData, openNodeData, startMediatorEndpoint } from './node-data.ts';
import { HubJobSource, type JobSource, SqsJobSource } from './job-source.ts';
import { loadNodeKey } from './keys.ts';
import { type Logger, describeError, jsonLogger } from './logger.ts';
import { type BridgeProcessing, type ShutdownTiming, openProcessing } from './processing/wiring.ts';
import { BRIDGE_VERSION } from './version.ts';
import { BridgeWorker } from './worker.ts';

export interface StartOptions {
  logger?: Logger;
  /** Aborting it stops the bridge gracefully (the CLI wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Used when JOB_SOURCE=sqs; by default one is built from AWS_REGION / SQS_ENDPOINT. */
  sqsClient?: SQSClient;
  heartbeatIntervalMs?: number;
  /** Default: HEALTH_INTERVAL_SECONDS (30 s). */
  healthIntervalMs?: number;
  minPollIntervalMs?: number;
  longPollSeconds?: number;
  backoff?: BackoffOptions;
  /** SIGTERM → SIGKILL grace for running tools when the bridge stops; default 5 s. */
  stopGraceMs?: number;
  /** How long a stop waits for the stopped runs, and then for the hub to take their reports. */
  shutdown?: ShutdownTiming;
}

export interface RunningBridge {
  data: NodeData;
  processing: BridgeProcessing;
  /** Resolves when the worker has stopped, running tools were stopped and their ends reported (bounded). */
  done: Promise<void>;
  stop(): Promise<void>;
}

class IssuerMismatch extends Error {}

const whenAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * Which hub keys and issuer to trust. Pinned keys are the safe way; fetching them from the hub at
 * start trusts whoever answers at HUB_URL that one time, so it is allowed but warned about.
 */
export async function resolveHubTrust(
  config: BridgeConfig,
  hub: HubClient,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ keys: PublicJwk[]; issuer: string }> {
  if (config.hubJobKeys) return { keys: config.hubJobKeys, issuer: config.hubIssuer };
  logger.warn('HUB_JOB_KEYS is not set: fetching the hub job keys from the hub once; pinning them in HUB_JOB_KEYS is recommended');
  const backoff = new Backoff({ maxMs: 10_000 });
  for (;;) {
    try {
      const answer = await hub.jobKeys(signal);
      if (config.hubIssuerExplicit && answer.issuer !== config.hubIssuer)
        throw new IssuerMismatch(`the hub announces job issuer "${answer.issuer}" but HUB_ISSUER is "${config.hubIssuer}"`);
      logger.info('hub job keys fetched', { issuer: answer.issuer, kids: answer.keys.map((k) => k.kid) });
      return { keys: answer.keys, issuer: config.hubIssuerExplicit ? config.hubIssuer : answer.issuer };
    } catch (err) {
      if (signal?.aborted || err instanceof IssuerMismatch) throw err;
      const waitMs = backoff.next();
      logger.warn('hub job keys unavailable; retrying', { error: describeError(err), waitMs });
      await sleep(waitMs, signal);
    }
  }
}

/** Starts a bridge in this process: loads key and data, indexes, then runs the worker until stopped. */
export async function startBridge(config: BridgeConfig, opts: StartOptions = {}): Promise<RunningBridge> {
  const logger = opts.logger ?? jsonLogger({ nodeId: config.nodeId });
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();

  const privateJwk = await loadNodeKey(config.keyFile, (msg) => logger.warn(msg));
  const data = await openNodeData(config, logger, opts.fetch);
  const endpoint = await startMediatorEndpoint(config, data, logger);
  const hub = new HubClient({ hubUrl: config.hubUrl, audience: config.hubAudience, nodeId: config.nodeId, privateJwk, fetch: opts.fetch });
  const trust = await resolveHubTrust(config, hub, logger, controller.signal);
  const store = await HandledJobStore.open(config.stateDir);
  const processing = await openProcessing({
    config,
    hub,
    issuer: trust.issuer,
    db: data.db,
    logger,
    fetch: opts.fetch,
    healthIntervalMs: opts.healthIntervalMs,
    backoff: opts.backoff,
    stopGraceMs: opts.stopGraceMs,
  }).catch(async (err: unknown) => {
    await endpoint?.close();
    data.close();
    throw err;
  });
  const sourceConfig = config.jobSource;
  const source: JobSource =
    sourceConfig.kind === 'sqs'
      ? new SqsJobSource(
          opts.sqsClient ?? new SQSClient({ region: sourceConfig.region, endpoint: sourceConfig.endpoint }),
          sourceConfig.queueUrl,
          {
            waitSeconds: opts.longPollSeconds,
          },
        )
      : new HubJobSource(hub, { waitSeconds: opts.longPollSeconds });

  const worker = new BridgeWorker({
    nodeId: config.nodeId,
    hub,
    source,
    trust,
    store,
    logger,
    execute: (job) => {
      // Processing jobs go to `accept`; nothing else reaches here but a count.
      if (job.body.kind !== 'search.count') throw new SafeJobError('unsupported_job', `this node does not handle ${job.body.kind} jobs`);
      return data.answer(job.body.payload.query, job.body.payload.searchId);
    },
    accept: (job) => processing.jobs.accept(job),
    heartbeat: () => ({ version: BRIDGE_VERSION, datasets: data.datasets(), capabilities: data.capabilities() }),
    heartbeatIntervalMs: opts.heartbeatIntervalMs,
    minPollIntervalMs: opts.minPollIntervalMs,
    backoff: opts.backoff,
  });
  // The status outbox outlives the worker: an orderly stop first stops the runs in hand and reports
  // their ends, and only then stops delivering.
  const loops = new AbortController();
  const worked = worker.run(controller.signal);
  const stopping = whenAborted(controller.signal)
    .then(() => processing.shutdown(worked, opts.shutdown))
    .finally(() => loops.abort());
  const done = Promise.all([worked, data.reindexLoop(controller.signal), processing.loops(loops.signal), stopping])
    .then(() => undefined)
    .finally(async () => {
      await endpoint?.close();
      data.close();
      opts.signal?.removeEventListener('abort', onAbort);
    });
  return {
    data,
    processing,
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}
