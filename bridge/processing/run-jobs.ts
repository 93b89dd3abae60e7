import type { VerifiedJob } from '../../shared/job-protocol.ts';
import type { RunJobPayload, RunOutcome, RunReasonCode, RunState } from '../../shared/processing/run.ts';
import { type Logger, describeError } from '../logger.ts';
import type { RunExecutor } from './executor.ts';
import type { RunStateStore } from './run-state.ts';
import type { StatusOutbox } from './status-outbox.ts';

export interface RunJobsDeps {
  nodeId: string;
  /** Undefined when processing is off (no SANDBOX_PATH): every run is answered not_allowed. */
  executor?: RunExecutor;
  store: RunStateStore;
  outbox: StatusOutbox;
  logger: Logger;
  now?: () => number;
}

const MESSAGES: Partial<Record<RunReasonCode, string>> = {
  processing_disabled: 'this node does not run tools (processing is not enabled on its bridge)',
  cancelled: 'the run was cancelled',
  bridge_restarted: 'the bridge restarted while the tool was running; the run was stopped',
};

/**
 * The bridge's handling of verified `processing.run` and `processing.cancel` jobs. `accept` returns
 * as soon as the job is durably taken (the run claimed in its state file, or the cancellation
 * recorded), so the job can be acknowledged at once; the run goes on in the background and its
 * `running` and `ended` reports travel through the outbox.
 */
export class RunJobs {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: RunJobsDeps) {}

  accept(job: VerifiedJob): Promise<void> {
    if (job.body.kind === 'processing.run') return this.run(job.body.payload);
    if (job.body.kind === 'processing.cancel') return this.cancel(job.body.payload.runId);
    return Promise.reject(new Error(`not a processing job: ${job.body.kind}`));
  }

  /** Closes runs an earlier process left running, and queues their outcomes for the hub. Call before taking jobs. */
  async recover(): Promise<RunOutcome[]> {
    const { deps } = this;
    let closed: RunOutcome[];
    if (deps.executor) closed = await deps.executor.recoverInterrupted();
    else {
      closed = [];
      for (const record of await deps.store.unfinished()) {
        const outcome = this.outcome(record.runId, record.startedAt, 'failed', 'bridge_restarted');
        await deps.store.finish(outcome);
        closed.push(outcome);
      }
    }
    for (const outcome of closed) await deps.outbox.add(outcome.runId, { state: 'ended', outcome });
    if (closed.length > 0) deps.logger.warn('runs interrupted by a restart closed', { runIds: closed.map((o) => o.runId) });
    return closed;
  }

  /** Runs in hand; their outcomes land in the outbox when they end. */
  get running(): string[] {
    return [...this.active.keys()];
  }

  /** Resolves when every run in hand has ended and its outcome is queued (tests, orderly stops). */
  async settled(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private async run(payload: RunJobPayload): Promise<void> {
    const { deps } = this;
    const { runId } = payload;
    // A second delivery while the first runs: the run in hand reports for both.
    if (this.active.has(runId)) return;
    if (!deps.executor) {
      const claim = await deps.store.claim(runId, this.now());
      let outcome = this.outcome(runId, this.now(), 'not_allowed', 'processing_disabled');
      if (claim.claimed) await deps.store.finish(outcome);
      else if (claim.record.state === 'finished') outcome = claim.record.outcome;
      deps.logger.warn('run refused: processing is off on this node', { runId });
      await deps.outbox.add(runId, { state: 'ended', outcome });
      return;
    }
    const controller = new AbortController();
    let claimed: () => void = () => {};
    const claim = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const running = deps.executor.execute(payload, controller.signal, {
      onClaimed: () => claimed(),
      onStarted: (startedAt) => {
        deps.outbox.add(runId, { state: 'running', startedAt }).catch((err: unknown) => deps.logger.error('queueing a running report failed', { runId, error: describeError(err) }));
      },
    });
    const done = running
      .then((outcome) => deps.outbox.add(runId, { state: 'ended', outcome }))
      .catch((err: unknown) => deps.logger.error('a run could not be completed or reported', { runId, error: describeError(err) }))
      .finally(() => this.active.delete(runId));
    this.active.set(runId, { controller, done });
    // A run known from its record (ended, or left by a crash) resolves without a new claim.
    await Promise.race([claim, running]);
  }

  private async cancel(runId: string): Promise<void> {
    const { deps } = this;
    const active = this.active.get(runId);
    if (active) {
      deps.logger.info('cancelling a run in hand', { runId });
      active.controller.abort();
      return;
    }
    // Not running here: record the cancellation as the run's end, so a run job of this id that
    // comes later is answered from the record (cancelled) and never starts a container.
    const claim = await deps.store.claim(runId, this.now());
    if (!claim.claimed) {
      deps.logger.info('cancellation of a run that already ended here; nothing to do', { runId });
      return;
    }
    const outcome = this.outcome(runId, this.now(), 'cancelled', 'cancelled');
    await deps.store.finish(outcome);
    deps.logger.info('run cancelled before it came', { runId });
    await deps.outbox.add(runId, { state: 'ended', outcome });
  }

  private outcome(runId: string, startedAt: number, state: RunState, code: RunReasonCode): RunOutcome {
    return {
      runId,
      nodeId: this.deps.nodeId,
      state,
      reason: { code, message: MESSAGES[code] ?? code },
      exitCode: null,
      startedAt,
      finishedAt: this.now(),
      inputFiles: 0,
      logs: { stdoutBytes: 0, stderrBytes: 0, keptBytes: 0, truncated: false },
      outputs: { accepted: [], rejected: [] },
    };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
