import type { VerifiedJob } from '../../shared/job-protocol.ts';
import type { RunJobPayload, RunOutcome, RunReasonCode, RunState } from '../../shared/processing/run.ts';
import { sleep } from '../backoff.ts';
import { type Logger, describeError } from '../logger.ts';
import type { RunExecutor } from './executor.ts';
import { emptyOutcome, failure } from './outcomes.ts';
import { RunQueue } from './run-queue.ts';
import type { RunStateStore } from './run-state.ts';
import type { StatusOutbox } from './status-outbox.ts';

export interface RunJobsDeps {
  nodeId: string;
  /** Undefined when processing is off (no SANDBOX_PATH): every run is answered not_allowed. */
  executor?: RunExecutor;
  store: RunStateStore;
  outbox: StatusOutbox;
  logger: Logger;
  /** Runs at once (PROCESSING_MAX_RUNS); more wait, durably, in arrival order. Default 1. */
  maxRuns?: number;
  now?: () => number;
}

interface ActiveRun {
  cancel: AbortController;
  stop: AbortController;
  done: Promise<void>;
}

/**
 * The bridge's handling of verified `processing.run` and `processing.cancel` jobs. `accept` returns
 * as soon as the job is durably taken (the run claimed in its state file — started, or queued when
 * `maxRuns` run already — or the cancellation recorded), so the job can be acknowledged at once;
 * the run goes on in the background and its `queued`, `running` and `ended` reports travel through
 * the outbox. A queued run's state file holds its job, so a restart starts it rather than losing it.
 */
export class RunJobs {
  private readonly active = new Map<string, ActiveRun>();
  /** Every run this process holds (being claimed, queued or running), with the promise of its claim. */
  private readonly held = new Map<string, Promise<void>>();
  private readonly queue: RunQueue<RunJobPayload>;
  private stopping = false;

  constructor(private readonly deps: RunJobsDeps) {
    this.queue = new RunQueue(deps.maxRuns ?? 1);
  }

  accept(job: VerifiedJob): Promise<void> {
    if (job.body.kind === 'processing.run') return this.run(job.body.payload);
    if (job.body.kind === 'processing.cancel') return this.cancel(job.body.payload.runId);
    return Promise.reject(new Error(`not a processing job: ${job.body.kind}`));
  }

  /**
   * Closes runs an earlier process left running, and queues their outcomes for the hub; takes back
   * the runs it had queued and starts them as slots allow. Call before taking jobs.
   */
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
    const queued = await deps.store.queued();
    for (const record of queued) {
      // Processing turned off since: the queued run ends as any run on such a node does.
      if (!deps.executor) await this.refuseDisabled(record.runId);
      else if (!this.held.has(record.runId)) {
        this.held.set(record.runId, Promise.resolve());
        this.queue.push(record.runId, record.payload);
      }
    }
    if (queued.length > 0) deps.logger.info('queued runs taken back', { runIds: queued.map((r) => r.runId) });
    this.pump();
    return closed;
  }

  /** Runs in hand; their outcomes land in the outbox when they end. */
  get running(): string[] {
    return [...this.active.keys()];
  }

  /** Runs taken and waiting for a slot, in the order they will start. */
  get queued(): string[] {
    return this.queue.ids();
  }

  /** Resolves when every run in hand has ended and its outcome is queued (tests, orderly stops). */
  async settled(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /**
   * An orderly stop: no run starts any more (queued ones stay queued for the next start), running
   * tools are stopped (SIGTERM, SIGKILL after the executor's grace) and recorded `bridge_stopped`.
   * Waits at most `timeoutMs` for them; a run still open then is closed by the next start's recovery.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.active.size > 0) this.deps.logger.warn('bridge stopping: stopping the runs in hand', { runIds: this.running });
    for (const run of this.active.values()) run.stop.abort();
    const ended = new AbortController();
    const all = await Promise.race([this.settled().then(() => true), sleep(timeoutMs, ended.signal).then(() => false)]);
    ended.abort();
    if (!all) this.deps.logger.error('runs did not end in time; the next start closes them', { runIds: this.running });
    return all;
  }

  private run(payload: RunJobPayload): Promise<void> {
    const { runId } = payload;
    // A second delivery while the first is held here: taken when the first is, and the run in hand reports for both.
    const held = this.held.get(runId);
    if (held) return held;
    const taking = this.take(payload);
    this.held.set(runId, taking);
    // Not taken (a full disk): forgotten here, so the redelivered job tries again.
    taking.catch(() => this.held.get(runId) === taking && this.held.delete(runId));
    return taking;
  }

  private async take(payload: RunJobPayload): Promise<void> {
    const { deps } = this;
    const { runId } = payload;
    if (!deps.executor) return this.refuseDisabled(runId);
    const queuedAt = this.now();
    const claim = await deps.store.enqueue(payload, queuedAt);
    if (!claim.claimed) {
      const { record } = claim;
      if (record.state === 'queued') {
        this.queue.push(runId, record.payload);
        this.pump();
        return;
      }
      // Ended here before: the recorded outcome again. Left running by an earlier process: closed now.
      if (record.state === 'running') return this.launch(payload, false);
      this.held.delete(runId);
      await deps.outbox.add(runId, { state: 'ended', outcome: record.outcome });
      return;
    }
    this.queue.push(runId, payload);
    this.pump();
    if (!this.queue.has(runId)) return;
    deps.logger.info('run queued: the node runs its limit already', { runId, running: this.running, maxRuns: this.queue.limit });
    // The job is already durably taken; a lost `queued` report only leaves the hub's view behind.
    await deps.outbox
      .add(runId, { state: 'queued', queuedAt })
      .catch((err: unknown) => deps.logger.error('queueing a queued report failed', { runId, error: describeError(err) }));
  }

  /** Starts queued runs while there are free slots. Synchronous: a run is either queued or active, never both. */
  private pump(): void {
    while (!this.stopping) {
      const next = this.queue.next(this.active.size);
      if (!next) return;
      this.launch(next, true).catch(() => {});
    }
  }

  /** Resolves once the run is durably this process's (started, or known from its record). */
  private launch(payload: RunJobPayload, queued: boolean): Promise<void> {
    const { deps } = this;
    const executor = deps.executor as RunExecutor;
    const { runId } = payload;
    const cancel = new AbortController();
    const stop = new AbortController();
    let claimed: () => void = () => {};
    const claim = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const running = executor.execute(
      payload,
      cancel.signal,
      {
        onClaimed: () => claimed(),
        onStarted: (startedAt) => {
          deps.outbox
            .add(runId, { state: 'running', startedAt })
            .catch((err: unknown) => deps.logger.error('queueing a running report failed', { runId, error: describeError(err) }));
        },
      },
      { stop: stop.signal, queued },
    );
    const done = running
      .then((outcome) => deps.outbox.add(runId, { state: 'ended', outcome }))
      .catch((err: unknown) => deps.logger.error('a run could not be completed or reported', { runId, error: describeError(err) }))
      .finally(() => {
        this.active.delete(runId);
        this.held.delete(runId);
        this.pump();
      });
    this.active.set(runId, { cancel, stop, done });
    return Promise.race([claim, running]).then(() => undefined);
  }

  private async cancel(runId: string): Promise<void> {
    const { deps } = this;
    const active = this.active.get(runId);
    if (active) {
      deps.logger.info('cancelling a run in hand', { runId });
      active.cancel.abort();
      return;
    }
    if (this.queue.remove(runId)) {
      // Out of the queue synchronously, so no free slot can start it while its end is written.
      this.held.delete(runId);
      const outcome = this.outcome(runId, this.now(), 'cancelled', 'cancelled');
      await deps.store.finish(outcome);
      deps.logger.info('queued run cancelled', { runId });
      await deps.outbox.add(runId, { state: 'ended', outcome });
      return;
    }
    const held = this.held.get(runId);
    if (held) {
      // Its run job is being taken right now: cancel it once it is queued or running.
      await held.catch(() => {});
      if (this.active.has(runId) || this.queue.has(runId)) return this.cancel(runId);
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

  private async refuseDisabled(runId: string): Promise<void> {
    const { deps } = this;
    const claim = await deps.store.claim(runId, this.now());
    let outcome = this.outcome(runId, this.now(), 'not_allowed', 'processing_disabled');
    if (claim.claimed || claim.record.state === 'queued') await deps.store.finish(outcome);
    else if (claim.record.state === 'finished') outcome = claim.record.outcome;
    this.held.delete(runId);
    deps.logger.warn('run refused: processing is off on this node', { runId });
    await deps.outbox.add(runId, { state: 'ended', outcome });
  }

  private outcome(runId: string, startedAt: number, state: RunState, code: RunReasonCode): RunOutcome {
    return { runId, nodeId: this.deps.nodeId, startedAt, finishedAt: this.now(), ...emptyOutcome(), ...failure(state, code) };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
