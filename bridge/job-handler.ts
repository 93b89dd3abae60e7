import {
  type JobRefusalReason,
  JobRefused,
  type JobResult,
  type NodeReport,
  type VerifiedJob,
  countResultSchema,
  verifyJob,
} from '../shared/job-protocol.ts';
import type { PublicJwk } from '../shared/node-auth.ts';
import { Backoff, type BackoffOptions, sleep } from './backoff.ts';
import type { HandledJobStore } from './handled-jobs.ts';
import { HubHttpError, type HubClient } from './hub-client.ts';
import type { JobSource, LeasedEnvelope } from './job-source.ts';
import { type Logger, describeError } from './logger.ts';

/** An error whose message is ours and safe to send to the hub (no paths, no stack, no data). */
export class SafeJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A count job's outcome as the node's data gives it: counts, or the keys it cannot evaluate instead. */
export type CountOutcome = Extract<JobResult, { status: 'answered' | 'unsupported' }>;

const REFUSAL_MESSAGES: Record<JobRefusalReason, string> = {
  unsigned: 'the job is not signed with EdDSA as a job token',
  bad_signature: 'the job signature does not verify with any trusted hub job key',
  expired: 'the job expired before it was handled',
  wrong_node: 'the job is addressed to another node',
  replayed: 'the job was already handled by this node',
  malformed: 'the job could not be read as a signed job',
  unsupported_protocol: 'the job is written in a newer bridge protocol than this bridge speaks: the bridge needs an update',
};

export interface JobHandlerDeps {
  nodeId: string;
  hub: HubClient;
  source: JobSource;
  trust: { keys: PublicJwk[]; issuer: string };
  store: HandledJobStore;
  /** Runs a verified job; only ever called after every check has passed. */
  execute: (job: VerifiedJob) => Promise<CountOutcome>;
  /**
   * Takes a verified processing job (run or cancel) and resolves once it is durably taken, before
   * the run ends: the job is then acknowledged, and the run reports through its own status route.
   */
  accept?: (job: VerifiedJob) => Promise<void>;
  logger: Logger;
  backoff?: BackoffOptions;
  now?: () => number;
}

/**
 * Handles one leased envelope end to end: verify, run at most once per job id, deliver, acknowledge.
 * It never throws; every outcome ends in a result, a report, or a log line.
 */
export class JobHandler {
  constructor(private readonly deps: JobHandlerDeps) {}

  async handle(envelope: LeasedEnvelope, stop: AbortSignal): Promise<void> {
    const { deps } = this;
    let job: VerifiedJob;
    try {
      job = await verifyJob(envelope.jws, {
        hubKeys: deps.trust.keys,
        issuer: deps.trust.issuer,
        nodeId: deps.nodeId,
        seen: (jobId) => deps.store.wasDelivered(jobId),
        nowMs: this.now(),
      });
    } catch (err) {
      const refusal = err instanceof JobRefused ? err : new JobRefused('malformed');
      // The job id comes from an unverified token: keep it only if it is plausible.
      const jobId = refusal.jobId && refusal.jobId.length <= 200 ? refusal.jobId : undefined;
      deps.logger.warn('job refused', { jobId, reason: refusal.reason });
      await this.report({ jobId, receipt: envelope.receipt, reason: refusal.reason, message: REFUSAL_MESSAGES[refusal.reason] }, stop);
      await this.ack(envelope);
      return;
    }
    if (job.body.kind !== 'search.count' && deps.accept) {
      try {
        await deps.accept(job);
      } catch (err) {
        // Not taken (a full disk, say): unacknowledged, so the hub delivers it again later.
        deps.logger.error('taking a processing job failed', { jobId: job.jobId, kind: job.body.kind, error: describeError(err) });
        return;
      }
      // Delivered from here on: a redelivery is refused as a replay (and that refusal acknowledges it).
      await deps.store.markDelivered(job.jobId, job.expiresAt);
      await this.taken(job.jobId, envelope);
      deps.logger.info('processing job taken', { jobId: job.jobId, kind: job.body.kind, runId: job.body.payload.runId });
      return;
    }
    let result = deps.store.pendingResult(job.jobId);
    if (result) deps.logger.info('re-sending the stored result of a redelivered job', { jobId: job.jobId });
    else {
      result = await this.run(job, stop);
      await deps.store.saveResult(job.jobId, job.expiresAt, result);
    }
    if (await this.deliver(job, { ...result, receipt: envelope.receipt }, stop)) {
      await deps.store.markDelivered(job.jobId, job.expiresAt);
      await this.ack(envelope);
    }
  }

  private async run(job: VerifiedJob, stop: AbortSignal): Promise<JobResult> {
    const started = this.now();
    try {
      const outcome = await this.deps.execute(job);
      if (outcome.status === 'unsupported') {
        this.deps.logger.info('job unsupported', { jobId: job.jobId, unsupportedKeys: outcome.unsupported_keys });
        return outcome;
      }
      // Passed on as the data gave it; the schema check only guards what leaves the node.
      const result = countResultSchema.parse(outcome.result);
      this.deps.logger.info('job answered', { jobId: job.jobId, kind: job.body.kind, ms: this.now() - started, total: result.total });
      return { status: 'answered', result };
    } catch (err) {
      this.deps.logger.error('job failed', { jobId: job.jobId, error: describeError(err) });
      // Internal error text can name files or data: only our own SafeJobError messages leave the host.
      const error =
        err instanceof SafeJobError
          ? { code: err.code, message: err.message }
          : { code: 'handler_failed', message: 'the bridge could not evaluate this job; the node operator can find details in its log' };
      await this.report({ jobId: job.jobId, reason: 'handler_failed', message: error.message }, stop);
      return { status: 'error', error };
    }
  }

  /** True when the result is settled: delivered, or refused by the hub for good. */
  private async deliver(job: VerifiedJob, result: JobResult, stop: AbortSignal): Promise<boolean> {
    const backoff = new Backoff(this.deps.backoff);
    for (;;) {
      try {
        await this.deps.hub.postResult(job.jobId, result);
        return true;
      } catch (err) {
        if (err instanceof HubHttpError && err.permanent) {
          this.deps.logger.error('hub refused the result; giving up on this job', { jobId: job.jobId, status: err.status, code: err.code });
          return true;
        }
        if (stop.aborted || this.now() >= job.expiresAt) {
          this.deps.logger.warn('result not delivered; kept for when the job comes again', { jobId: job.jobId, error: describeError(err) });
          return false;
        }
        const waitMs = backoff.next();
        this.deps.logger.warn('posting the result failed; retrying', { jobId: job.jobId, error: describeError(err), waitMs });
        await sleep(waitMs, stop);
      }
    }
  }

  private async report(report: NodeReport, stop: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.deps.backoff);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.hub.postReport(report);
        return;
      } catch (err) {
        // Reports are best effort: three tries, then the log is the record.
        if (attempt >= 3 || stop.aborted || (err instanceof HubHttpError && err.permanent)) {
          this.deps.logger.warn('report not delivered', { ...report, error: describeError(err) });
          return;
        }
        await sleep(backoff.next(), stop);
      }
    }
  }

  private async taken(jobId: string, envelope: LeasedEnvelope): Promise<void> {
    try {
      await this.deps.source.taken(jobId, envelope.receipt);
    } catch (err) {
      // Not fatal: a redelivered job is refused as a replay, and that refusal acknowledges it.
      this.deps.logger.warn('acknowledging the job failed', { error: describeError(err) });
    }
  }

  private async ack(envelope: LeasedEnvelope): Promise<void> {
    try {
      await this.deps.source.ack(envelope.receipt);
    } catch (err) {
      // Not fatal: a redelivered job is refused as a replay (or re-sent from the store).
      this.deps.logger.warn('acknowledging the job failed', { error: describeError(err) });
    }
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
