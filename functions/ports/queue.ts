/** A signed job on its way to one node. `jws` is opaque to the queue. */
export interface QueuedJob {
  nodeId: string;
  jobId: string;
  jws: string;
  /** After this the job is worthless (its signature has expired): queues may drop it. */
  notAfter: Date;
}

export interface LeasedJob {
  /** Opaque handle for `ack`; a new lease of the same job yields a new receipt. */
  receipt: string;
  jobId: string;
  jws: string;
}

/**
 * Delivery of jobs to nodes: at-least-once, per-node FIFO-ish. The bridge only ever connects out,
 * so a queue is either something it long-polls itself (SQS) or something the hub's long-poll
 * endpoint leases from (the Postgres table).
 */
export interface JobQueue {
  readonly kind: 'postgres' | 'sqs';
  enqueue(job: QueuedJob): Promise<void>;
  /**
   * Queues the jobs of one fan-out in as few calls as the backend allows (one insert; SendMessageBatch
   * per node queue and 10 messages). Answers the jobs that could not be queued, each with the reason;
   * jobs already expired are dropped, not failed.
   */
  enqueueMany(jobs: QueuedJob[]): Promise<{ failed: { jobId: string; nodeId: string; error: string }[] }>;
  /**
   * Hands out up to `max` visible jobs of one node and hides them for `visibilityMs`; a job not
   * acknowledged in that time is handed out again. Waits up to `waitMs` for one to arrive.
   */
  lease(nodeId: string, opts: { max: number; visibilityMs: number; waitMs: number; signal?: AbortSignal }): Promise<LeasedJob[]>;
  /** Removes a delivered job. Answers false for an unknown receipt (SQS cannot tell a stale one). */
  ack(nodeId: string, receipt: string): Promise<boolean>;
}
