import { Backoff, sleep } from './backoff.ts';
import type { HandledJobStore } from './handled-jobs.ts';
import { type Heartbeat, type HubClient, HubProtocolError } from './hub-client.ts';
import { JobHandler, type JobHandlerDeps } from './job-handler.ts';
import type { JobSource } from './job-source.ts';
import { describeError } from './logger.ts';

export interface WorkerOptions extends JobHandlerDeps {
  hub: HubClient;
  source: JobSource;
  store: HandledJobStore;
  heartbeat: () => Heartbeat;
  heartbeatIntervalMs?: number;
  /** Floor between two polls that came back empty, against a hub that answers long polls at once. */
  minPollIntervalMs?: number;
  /** After each heartbeat: undefined when the hub took it, else the error. */
  onHeartbeat?: (error?: unknown) => void;
  /** After each batch of jobs handled. */
  onJobs?: (count: number) => void;
  /** The hub no longer serves this bridge's protocol: the bridge must stop, nothing it does can help. */
  onFatal?: (error: HubProtocolError) => void;
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * The bridge's main loop: lease jobs, handle them one by one, heartbeat on the side. Network trouble
 * is waited out with backoff, never thrown; `run` returns once `signal` aborts and in-flight work is done.
 */
export class BridgeWorker {
  private readonly handler: JobHandler;

  constructor(private readonly opts: WorkerOptions) {
    this.handler = new JobHandler(opts);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { logger } = this.opts;
    logger.info('bridge worker started', { nodeId: this.opts.nodeId });
    await Promise.all([this.pollLoop(signal), this.heartbeatLoop(signal)]);
    logger.info('bridge worker stopped', { nodeId: this.opts.nodeId });
  }

  private async pollLoop(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.opts.backoff);
    const minInterval = this.opts.minPollIntervalMs ?? 1000;
    while (!signal.aborted) {
      const started = Date.now();
      let envelopes: Awaited<ReturnType<JobSource['next']>>;
      try {
        envelopes = await this.opts.source.next(signal);
        backoff.reset();
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof HubProtocolError) {
          this.opts.onFatal?.(err);
          break;
        }
        const waitMs = backoff.next();
        this.opts.logger.warn('job source unavailable; retrying', { error: describeError(err), waitMs });
        await sleep(waitMs, signal);
        continue;
      }
      // Jobs not started before a stop stay unacknowledged and are delivered again later.
      for (const envelope of envelopes) {
        if (signal.aborted) break;
        // The handler reports its own failures; this only guards against the unforeseen (a full disk),
        // which must cost one job, not the process.
        await this.handler
          .handle(envelope, signal)
          .catch((err: unknown) => this.opts.logger.error('handling a job failed', { error: describeError(err) }));
      }
      if (envelopes.length > 0) this.opts.onJobs?.(envelopes.length);
      if (envelopes.length === 0) await sleep(minInterval - (Date.now() - started), signal);
    }
  }

  private async heartbeatLoop(signal: AbortSignal): Promise<void> {
    const interval = this.opts.heartbeatIntervalMs ?? 15_000;
    let lastPrune = Date.now();
    while (!signal.aborted) {
      try {
        await this.opts.hub.heartbeat(this.opts.heartbeat(), signal);
        this.opts.onHeartbeat?.();
      } catch (err) {
        if (err instanceof HubProtocolError) {
          this.opts.onFatal?.(err);
          break;
        }
        if (!signal.aborted) {
          this.opts.logger.warn('heartbeat failed', { error: describeError(err) });
          this.opts.onHeartbeat?.(err);
        }
      }
      if (Date.now() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await this.opts.store
          .prune()
          .catch((err: unknown) => this.opts.logger.warn('pruning handled jobs failed', { error: describeError(err) }));
      }
      await sleep(interval, signal);
    }
  }
}
