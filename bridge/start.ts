import type { SQSClient } from '@aws-sdk/client-sqs';
import { BRIDGE_PROTOCOL } from '../shared/bridge-protocol.ts';
import type { BackoffOptions } from './backoff.ts';
import type { BridgeConfig } from './config.ts';
import { HandledJobStore } from './handled-jobs.ts';
import { HubClient, type HubProtocolError } from './hub-client.ts';
import { SafeJobError } from './job-handler.ts';
import { HubJobSource, type JobSource, SqsJobSource } from './job-source.ts';
import { loadNodeKey } from './keys.ts';
import { type Logger, describeError, jsonLogger } from './logger.ts';
import { hubFetch } from './net/hub-fetch.ts';
import { type NodeData, openNodeData, startMediatorEndpoint } from './node-data.ts';
import { type BridgeProcessing, type ShutdownTiming, openProcessing } from './processing/wiring.ts';
import { prepareStateDir } from './state-dir.ts';
import { StatusBoard } from './status-file.ts';
import { BRIDGE_VERSION } from './version.ts';
import { BridgeWorker } from './worker.ts';
import { preflight, resolveHubTrust } from './first-contact.ts';

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

const whenAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** Starts a bridge in this process: loads key and data, indexes, then runs the worker until stopped. */
export async function startBridge(config: BridgeConfig, opts: StartOptions = {}): Promise<RunningBridge> {
  const logger = opts.logger ?? jsonLogger({ nodeId: config.nodeId });
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();

  // Nothing is written until the settings, the key, the folders and the hub all check out.
  const state = await preflight(config);
  const privateJwk = await loadNodeKey(config.keyFile, (msg) => logger.warn(msg));
  const fetchHub = opts.fetch ?? hubFetch(config.network);
  const hub = new HubClient({ hubUrl: config.hubUrl, audience: config.hubAudience, nodeId: config.nodeId, privateJwk, fetch: fetchHub });
  const trust = await resolveHubTrust(config, hub, logger, controller.signal);
  const { migratedFrom } = await prepareStateDir(state);
  if (migratedFrom !== undefined) logger.info('state folder migrated', { from: migratedFrom, stateDir: config.stateDir });
  const startedAt = Date.now();
  const status = new StatusBoard(config.stateDir, {
    nodeId: config.nodeId,
    version: BRIDGE_VERSION,
    protocol: BRIDGE_PROTOCOL,
    pid: process.pid,
    startedAt,
    updatedAt: startedAt,
    hub: {},
    jobs: { handled: 0 },
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 15_000,
  });
  await status.flush();
  // The mediator is the site's own service: reached directly, never through the hub's proxy.
  const data = await openNodeData(config, logger, opts.fetch);
  const endpoint = await startMediatorEndpoint(config, data, logger);
  const indexed = () => {
    const s = data.lastIndex;
    return s
      ? {
          at: Date.now(),
          datasets: s.datasets,
          studies: s.studies,
          series: s.series,
          files: s.filesRead + s.filesUnchanged,
          skipped: s.skipped.length,
        }
      : undefined;
  };
  let lastIndex = data.lastIndex;
  await status.update((s) => ({ ...s, index: indexed() }));
  const store = await HandledJobStore.open(config.stateDir);
  const processing = await openProcessing({
    config,
    hub,
    issuer: trust.issuer,
    db: data.db,
    logger,
    fetch: fetchHub,
    healthIntervalMs: opts.healthIntervalMs,
    backoff: opts.backoff,
    stopGraceMs: opts.stopGraceMs,
  }).catch(async (err: unknown) => {
    await endpoint?.close();
    data.close();
    throw err;
  });
  const sourceConfig = config.jobSource;
  // The AWS SDK is loaded only by a node that takes its jobs from SQS: the others keep its memory.
  const sqsClient = async (region: string, endpoint?: string) => new (await import('@aws-sdk/client-sqs')).SQSClient({ region, endpoint });
  const source: JobSource =
    sourceConfig.kind === 'sqs'
      ? new SqsJobSource(opts.sqsClient ?? (await sqsClient(sourceConfig.region, sourceConfig.endpoint)), sourceConfig.queueUrl, {
          waitSeconds: opts.longPollSeconds,
        })
      : new HubJobSource(hub, { waitSeconds: opts.longPollSeconds });

  let fatal: HubProtocolError | undefined;
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
    heartbeat: () => ({ version: BRIDGE_VERSION, protocol: BRIDGE_PROTOCOL, datasets: data.datasets(), capabilities: data.capabilities() }),
    heartbeatIntervalMs: opts.heartbeatIntervalMs,
    minPollIntervalMs: opts.minPollIntervalMs,
    backoff: opts.backoff,
    onHeartbeat: (error) => {
      // A re-index shows as a new summary object: note when it landed.
      const fresh = data.lastIndex !== lastIndex;
      lastIndex = data.lastIndex;
      void status.update(
        (s) => ({
          ...s,
          ...(fresh ? { index: indexed() } : {}),
          hub: error ? { ...s.hub, lastError: describeError(error) } : { lastContactAt: Date.now() },
        }),
        true,
      );
    },
    onJobs: (n) => void status.update((s) => ({ ...s, jobs: { handled: s.jobs.handled + n, lastAt: Date.now() } })),
    onFatal: (err) => {
      fatal ??= err;
      logger.error('the hub does not serve this bridge; stopping', { error: err.message });
      controller.abort();
    },
  });
  // The status outbox outlives the worker: an orderly stop first stops the runs in hand and reports
  // their ends, and only then stops delivering.
  const loops = new AbortController();
  const worked = worker.run(controller.signal);
  const stopping = whenAborted(controller.signal)
    .then(() => processing.shutdown(worked, opts.shutdown))
    .finally(() => loops.abort());
  const done = Promise.all([worked, data.reindexLoop(controller.signal), processing.loops(loops.signal), stopping])
    .then(async () => {
      await status.update((s) => ({ ...s, stoppedAt: Date.now() }), true);
      if (fatal) throw fatal;
    })
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
