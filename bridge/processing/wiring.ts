import { mkdir } from 'node:fs/promises';
import type { NodeHealth } from '../../shared/processing/health.ts';
import type { ToolApproval } from '../../shared/processing/tool.ts';
import { type BackoffOptions, sleep } from '../backoff.ts';
import { type BridgeConfig, ConfigError } from '../config.ts';
import type { HubClient } from '../hub-client.ts';
import type { Db } from '../index/schema.ts';
import { type Logger, describeError } from '../logger.ts';
import { readCaFile } from '../net/hub-fetch.ts';
import { BRIDGE_VERSION } from '../version.ts';
import { loadApprovedTools } from './config.ts';
import { type ContainerEngine, DEFAULT_STOP_GRACE_MS, DockerEngine } from './engine.ts';
import { RunExecutor } from './executor.ts';
import { signedGrantCheck } from './grant-check.ts';
import { GrantKeys } from './grant-keys.ts';
import { collectNodeHealth } from './health.ts';
import { HubOutputSink } from './hub-sink.ts';
import { detectGpus } from './probes.ts';
import { RunJobs } from './run-jobs.ts';
import { RunStateStore } from './run-state.ts';
import { StatusOutbox } from './status-outbox.ts';

export interface BridgeProcessing {
  enabled: boolean;
  jobs: RunJobs;
  outbox: StatusOutbox;
  /** Status delivery, health reports and grant-key refresh, until `signal` aborts. */
  loops(signal: AbortSignal): Promise<void>;
  /**
   * The orderly stop, before `loops` are stopped: runs in hand are stopped and recorded
   * `bridge_stopped` (waiting for them and for `alsoWaitFor`, at most `runsMs`), then the outbox is
   * flushed to the hub for at most `flushMs`; what is left is sent by the next start.
   */
  shutdown(alsoWaitFor?: Promise<unknown>, timing?: ShutdownTiming): Promise<void>;
}

export interface ShutdownTiming {
  /** Wait for the stopped runs to end; default: the tools' stop grace + 15 s. */
  runsMs?: number;
  /** Wait for the hub to take the outstanding status reports; default 10 s. */
  flushMs?: number;
}

const OFF = 'processing is off on this node (no SANDBOX_PATH)';

/** With processing off there is no engine to ask; the health report says so instead of probing a socket. */
const offEngine: ContainerEngine = {
  imageStatus: async () => 'image_missing',
  run: async () => {
    throw new Error(OFF);
  },
  removeRun: async () => 0,
  version: async () => {
    throw new Error(OFF);
  },
};

/**
 * Builds the bridge's side of federated processing from its configuration: approved tools, engine,
 * executor uploading through the hub, run jobs with their status outbox, and the health report.
 * Runs left "running" by an earlier process are closed (and queued for the hub) before it returns.
 */
export async function openProcessing(input: {
  config: BridgeConfig;
  hub: HubClient;
  /** The hub's issuer (its PUBLIC_URL), which signs grants as it signs jobs. */
  issuer: string;
  db?: Db;
  logger: Logger;
  fetch?: typeof fetch;
  healthIntervalMs?: number;
  backoff?: BackoffOptions;
  /** SIGTERM → SIGKILL grace for tools when the bridge stops; default 5 s. */
  stopGraceMs?: number;
}): Promise<BridgeProcessing> {
  const { config, hub, logger } = input;
  const p = config.processing;
  const store = await RunStateStore.open(config.stateDir);
  const outbox = await StatusOutbox.open(config.stateDir);
  let approvals: ToolApproval[] = [];
  let engine: ContainerEngine = offEngine;
  let executor: RunExecutor | undefined;
  let grantKeys: GrantKeys | undefined;
  if (p) {
    approvals = await loadApprovedTools(p.toolsFile).catch((err: Error) => {
      throw new ConfigError([`TOOLS_FILE ${err.message}`]);
    });
    if (!input.db) throw new ConfigError(["SANDBOX_PATH needs the bridge's own index"]);
    await mkdir(p.sandboxDir, { recursive: true, mode: 0o700 });
    engine = new DockerEngine({ socketPath: p.socketPath });
    const keys = new GrantKeys({ hubUrl: config.hubUrl, pinned: config.hubGrantKeys, fetch: input.fetch, logger });
    grantKeys = keys;
    const check = signedGrantCheck({ keys: () => keys.keys(), issuer: input.issuer, revoked: () => hub.revokedGrants() });
    executor = new RunExecutor({
      nodeId: config.nodeId,
      db: input.db,
      dataDir: config.dataDir,
      sandboxDir: p.sandboxDir,
      engine,
      store,
      sink: new HubOutputSink({ hub, backoff: input.backoff }),
      approvals: () => approvals,
      checkGrants: async (req) => {
        // Keys not fetched yet (hub unreachable at start): one more try before refusing the grants.
        if (keys.keys().keys.length === 0) await keys.refresh().catch(() => {});
        return check(req);
      },
      gpuCount: async () => (await detectGpus(p.nvidiaSmi)).count,
      logger,
      toolUser: p.toolUser,
      logCapBytes: p.logCapBytes,
      stopGraceMs: input.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    });
    logger.info('processing on', {
      tools: approvals.map((t) => `${t.id}@${t.version}`),
      sandbox: p.sandboxDir,
      socket: p.socketPath,
      maxRuns: p.maxRuns,
    });
  } else logger.info(`${OFF}: run jobs are answered not_allowed (processing_disabled)`);

  const jobs = new RunJobs({ nodeId: config.nodeId, executor, store, outbox, logger, maxRuns: p?.maxRuns });
  await jobs.recover();

  const hubCa = config.network.caFile ? readCaFile(config.network.caFile) : undefined;
  const collectHealth = async (): Promise<NodeHealth> => {
    const health = await collectNodeHealth({
      version: BRIDGE_VERSION,
      hubUrl: config.hubUrl,
      dataDir: config.dataDir,
      sandboxDir: p?.sandboxDir ?? config.stateDir,
      engine,
      approvals: () => approvals,
      fetch: input.fetch,
      // The certificate check trusts what the bridge's calls trust (HUB_CA_FILE, read at start).
      hubCa,
      nvidiaSmi: p?.nvidiaSmi,
    });
    return p ? health : { ...health, paths: { ...health.paths, sandbox: { exists: false, error: OFF } } };
  };

  const healthLoop = async (signal: AbortSignal) => {
    const interval = input.healthIntervalMs ?? config.healthIntervalMs;
    while (!signal.aborted) {
      try {
        await hub.postHealth(await collectHealth(), signal);
      } catch (err) {
        if (!signal.aborted) logger.warn('health report failed', { error: describeError(err) });
      }
      await sleep(interval, signal);
    }
  };

  return {
    enabled: p !== undefined,
    jobs,
    outbox,
    loops: async (signal) => {
      await Promise.all([outbox.deliver(hub, logger, signal, input.backoff), healthLoop(signal), grantKeys?.loop(signal)]);
    },
    shutdown: async (alsoWaitFor, timing = {}) => {
      const runsMs = timing.runsMs ?? (input.stopGraceMs ?? DEFAULT_STOP_GRACE_MS) + 15_000;
      await Promise.all([jobs.stop(runsMs), alsoWaitFor]);
      if (await outbox.drained(timing.flushMs ?? 10_000)) return;
      logger.warn('status reports not delivered before the stop; the next start sends them', { pending: outbox.pending().length });
    },
  };
}
