import type { RunJobPayload, RunOutcome } from '../../shared/processing/run.ts';
import { type Logger, describeError } from '../logger.ts';
import { type AdmissionDeps, type Admitted, admit } from './admission.ts';
import { type ContainerEngine, NODE_LABEL, RUN_LABEL } from './engine.ts';
import { materialise } from './materialise.ts';
import { checkOutputs } from './outputs.ts';
import { type OutcomeBody, emptyOutcome, failure } from './outcomes.ts';
import type { RunStateStore } from './run-state.ts';
import { createSandbox, wipeSandbox } from './sandbox.ts';
import { type OutputSink, memoryBody, uploadOutputs } from './upload.ts';

export interface RunExecutorDeps extends AdmissionDeps {
  dataDir: string;
  sandboxDir: string;
  engine: ContainerEngine;
  store: RunStateStore;
  sink: OutputSink;
  logger: Logger;
  /** uid:gid the tool runs as; never 0. */
  toolUser?: string;
  logCapBytes?: number;
  /** SIGTERM → SIGKILL grace for a tool whose bridge stops; default 5 s. */
  stopGraceMs?: number;
  now?: () => number;
}

export interface RunHooks {
  onClaimed?: () => void;
  onStarted?: (startedAt: number) => void;
}

export interface ExecuteOptions {
  /** The bridge is stopping: the tool is stopped with a grace, nothing is uploaded, the run ends `bridge_stopped`. */
  stop?: AbortSignal;
  /** The run was claimed earlier as queued (RunStateStore.enqueue); it now moves to running instead of being claimed. */
  queued?: boolean;
}

type Signals = { signal?: AbortSignal; stop?: AbortSignal };

/**
 * Runs one node's part of a federated run, at most once per run id: admission checks, a fresh
 * sandbox, the hardened container, output checks and upload, and the sandbox wiped whatever happens.
 * It never throws for a run's own failures; the outcome says what happened and why.
 */
export class RunExecutor {
  private readonly inFlight = new Map<string, Promise<RunOutcome>>();

  constructor(private readonly deps: RunExecutorDeps) {
    if (/^0(:|$)/.test(deps.toolUser ?? '')) throw new Error('tools never run as root');
  }

  /**
   * A second delivery of a run in hand shares the first one's outcome instead of starting again.
   * `hooks.onClaimed` fires once the run is durably this process's (or known from its record), so
   * the job can be acknowledged; `hooks.onStarted` when the container runs.
   */
  execute(payload: RunJobPayload, signal?: AbortSignal, hooks: RunHooks = {}, opts: ExecuteOptions = {}): Promise<RunOutcome> {
    const current = this.inFlight.get(payload.runId);
    if (current) return current;
    const run = this.claimAndRun(payload, { signal, stop: opts.stop }, hooks, opts.queued === true).finally(() =>
      this.inFlight.delete(payload.runId),
    );
    this.inFlight.set(payload.runId, run);
    return run;
  }

  /**
   * Closes the runs an earlier process left "running": kills and removes their containers, wipes
   * their sandboxes and records them failed, so they are reported rather than left open for ever.
   * Call it once at start, before taking jobs.
   */
  async recoverInterrupted(): Promise<RunOutcome[]> {
    const closed: RunOutcome[] = [];
    for (const record of await this.deps.store.unfinished()) {
      if (this.inFlight.has(record.runId)) continue;
      closed.push(await this.closeInterrupted(record.runId, record.startedAt));
    }
    return closed;
  }

  private async claimAndRun(payload: RunJobPayload, signals: Signals, hooks: RunHooks, queued: boolean): Promise<RunOutcome> {
    const startedAt = this.now();
    const claim = queued ? await this.deps.store.start(payload.runId, startedAt) : await this.deps.store.claim(payload.runId, startedAt);
    hooks.onClaimed?.();
    if (!claim.claimed) {
      if (claim.record.state === 'finished') return claim.record.outcome;
      // Held in the queue of the run jobs of this process: only they may start it.
      if (claim.record.state === 'queued') throw new Error('the run is queued in this bridge, not started here');
      return this.closeInterrupted(payload.runId, claim.record.startedAt);
    }
    let outcome: RunOutcome;
    try {
      outcome = await this.run(payload, startedAt, signals, hooks);
    } catch (err) {
      this.deps.logger.error('run failed in the bridge', { runId: payload.runId, error: describeError(err) });
      outcome = this.outcome(payload.runId, startedAt, { ...emptyOutcome(), ...failure('failed', 'engine_error') });
    }
    await this.deps.store.finish(outcome);
    this.deps.logger.info('run finished', {
      runId: payload.runId,
      state: outcome.state,
      reason: outcome.reason?.code,
      exitCode: outcome.exitCode,
    });
    return outcome;
  }

  private async run(payload: RunJobPayload, startedAt: number, signals: Signals, hooks: RunHooks): Promise<RunOutcome> {
    const { signal, stop } = signals;
    if (stop?.aborted) return this.outcome(payload.runId, startedAt, { ...emptyOutcome(), ...failure('failed', 'bridge_stopped') });
    const admitted = await admit(this.deps, payload);
    if (!admitted.ok)
      return this.outcome(payload.runId, startedAt, {
        ...emptyOutcome(),
        state: admitted.state,
        reason: { code: admitted.code, message: admitted.message },
      });
    const { deps } = this;
    try {
      const box = await createSandbox(deps.sandboxDir, payload.runId, admitted.paramsJson);
      let inputFiles = 0;
      try {
        const m = await materialise(deps.dataDir, box.input, admitted.files);
        inputFiles = m.linked + m.copied;
      } catch (err) {
        deps.logger.error('materialising inputs failed', { runId: payload.runId, error: describeError(err) });
        return this.outcome(payload.runId, startedAt, { ...emptyOutcome(), ...failure('failed', 'sandbox_error') });
      }
      // Cancelled, or the bridge stopping, while the inputs were prepared: no container at all.
      if (signal?.aborted)
        return this.outcome(payload.runId, startedAt, { ...emptyOutcome(), inputFiles, ...failure('cancelled', 'cancelled') });
      if (stop?.aborted)
        return this.outcome(payload.runId, startedAt, { ...emptyOutcome(), inputFiles, ...failure('failed', 'bridge_stopped') });
      return await this.runContainer(payload, admitted, box, inputFiles, startedAt, signals, hooks);
    } finally {
      await wipeSandbox(deps.sandboxDir, payload.runId);
    }
  }

  private async runContainer(
    payload: RunJobPayload,
    admitted: Admitted,
    box: Awaited<ReturnType<typeof createSandbox>>,
    inputFiles: number,
    startedAt: number,
    signals: Signals,
    hooks: RunHooks,
  ): Promise<RunOutcome> {
    const { deps } = this;
    const { tool } = admitted;
    const result = await deps.engine.run(
      {
        // One run spans nodes, and nodes may share an engine: the node is part of the name.
        name: `eucaim-${payload.runId}-${deps.nodeId}`,
        image: tool.image.digest,
        user: deps.toolUser ?? '65534:65534',
        env: [...admitted.env, 'PARAMS_FILE=/params.json', 'INPUT_DIR=/input', 'OUTPUT_DIR=/output'],
        binds: [
          { source: box.input, target: '/input', readOnly: true },
          { source: box.paramsFile, target: '/params.json', readOnly: true },
          { source: box.output, target: '/output', readOnly: false },
        ],
        flavour: tool.flavour,
        labels: { [RUN_LABEL]: payload.runId, [NODE_LABEL]: deps.nodeId, 'eu.eucaim.tool': tool.id },
      },
      {
        timeoutMs: admitted.timeoutMs,
        logCapBytes: deps.logCapBytes ?? 1024 * 1024,
        signal: signals.signal,
        stop: signals.stop,
        stopGraceMs: deps.stopGraceMs,
        onStarted: () => hooks.onStarted?.(startedAt),
      },
    );
    const logs = result.logs;
    const logSummary = { stdoutBytes: logs.stdoutBytes, stderrBytes: logs.stderrBytes, keptBytes: logs.size, truncated: logs.truncated };
    // A stop must end in bounded time, and a tool cut short produced no result: nothing is uploaded.
    if (result.stopped)
      return this.outcome(payload.runId, startedAt, {
        ...emptyOutcome(),
        exitCode: result.exitCode,
        inputFiles,
        logs: { ...logSummary, keptBytes: 0 },
        ...failure('failed', 'bridge_stopped'),
      });
    const verdict = await checkOutputs(box.output, tool.outputs);
    const base: OutcomeBody = {
      ...emptyOutcome(),
      exitCode: result.exitCode,
      inputFiles,
      logs: logSummary,
      outputs: { accepted: [], rejected: verdict.rejected.slice(0, 10_000) },
    };
    try {
      const meta = { runId: payload.runId, nodeId: deps.nodeId };
      await deps.sink.put({ ...meta, kind: 'log', path: `${tool.id}_${deps.nodeId}.log`, ...memoryBody(logs.text()) });
      base.outputs.accepted = await uploadOutputs(box.output, verdict.accepted, deps.sink, meta);
    } catch (err) {
      deps.logger.error('uploading results failed', { runId: payload.runId, error: describeError(err) });
      return this.outcome(payload.runId, startedAt, { ...base, ...failure('failed', 'upload_failed') });
    }
    if (result.cancelled) return this.outcome(payload.runId, startedAt, { ...base, ...failure('cancelled', 'cancelled') });
    if (result.timedOut) return this.outcome(payload.runId, startedAt, { ...base, ...failure('timed_out', 'timeout') });
    // 137 is SIGKILL; we did not send it, so the kernel's OOM killer did (Podman never sets OOMKilled).
    if (result.exitCode === 137) return this.outcome(payload.runId, startedAt, { ...base, ...failure('failed', 'memory_limit') });
    if (result.exitCode !== 0) return this.outcome(payload.runId, startedAt, { ...base, ...failure('failed', 'exit_nonzero') });
    return this.outcome(payload.runId, startedAt, base);
  }

  private async closeInterrupted(runId: string, startedAt: number): Promise<RunOutcome> {
    const removed = await this.deps.engine.removeRun(runId, this.deps.nodeId).catch((err) => {
      this.deps.logger.error('could not remove an interrupted run container', { runId, error: describeError(err) });
      return 0;
    });
    await wipeSandbox(this.deps.sandboxDir, runId);
    const outcome = this.outcome(runId, startedAt, { ...emptyOutcome(), ...failure('failed', 'bridge_restarted') });
    await this.deps.store.finish(outcome);
    this.deps.logger.warn('interrupted run closed', { runId, containersRemoved: removed });
    return outcome;
  }

  private outcome(runId: string, startedAt: number, rest: OutcomeBody): RunOutcome {
    return { runId, nodeId: this.deps.nodeId, startedAt, finishedAt: this.now(), ...rest };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
