import type { SQSClient } from '@aws-sdk/client-sqs';
import type { HubClient } from './hub-client.ts';

export interface LeasedEnvelope {
  /** Opaque handle for `ack` (and echoed to the hub with the result). */
  receipt: string;
  /** The job exactly as signed by the hub; nothing in it is trusted before `verifyJob`. */
  jws: string;
}

/**
 * Where signed jobs come from. Both implementations connect outwards only: the bridge never opens a
 * port. `next` waits (long-polls) for jobs and resolves early with [] or rejects when `signal` aborts.
 */
export interface JobSource {
  next(signal: AbortSignal): Promise<LeasedEnvelope[]>;
  /** Removes a job from delivery, after it was answered or refused. */
  ack(receipt: string): Promise<void>;
  /** Removes a job whose outcome travels elsewhere (processing) from delivery once it is taken. */
  taken(jobId: string, receipt: string): Promise<void>;
}

/** Long-polls the hub's lease endpoint. The hub acknowledges a job when its result arrives. */
export class HubJobSource implements JobSource {
  constructor(
    private readonly hub: HubClient,
    private readonly opts: { waitSeconds?: number; max?: number } = {},
  ) {}

  async next(signal: AbortSignal): Promise<LeasedEnvelope[]> {
    const { jobs } = await this.hub.leaseJobs({ waitSeconds: this.opts.waitSeconds ?? 20, max: this.opts.max ?? 5, signal });
    return jobs;
  }

  async ack(): Promise<void> {
    // Implicit: posting the result (which carries the receipt) is the acknowledgement.
  }

  async taken(jobId: string, receipt: string): Promise<void> {
    await this.hub.jobTaken(jobId, receipt);
  }
}

/** Reads this node's own SQS queue; the message body is the JWS, and ack deletes the message. */
// The AWS SDK is large: only a node whose jobs come from SQS loads it (a hub-polling bridge keeps ~20 MB).
const sqsCommands = () => import('@aws-sdk/client-sqs');

export class SqsJobSource implements JobSource {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly opts: { waitSeconds?: number; max?: number } = {},
  ) {}

  async next(signal: AbortSignal): Promise<LeasedEnvelope[]> {
    const out = await this.sqs.send(
      new (await sqsCommands()).ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        WaitTimeSeconds: this.opts.waitSeconds ?? 20,
        MaxNumberOfMessages: this.opts.max ?? 5,
      }),
      { abortSignal: signal },
    );
    // An empty body still goes through verification, so it is refused, reported and deleted.
    return (out.Messages ?? []).flatMap((m) => (m.ReceiptHandle ? [{ receipt: m.ReceiptHandle, jws: (m.Body ?? '').trim() }] : []));
  }

  async taken(_jobId: string, receipt: string): Promise<void> {
    await this.ack(receipt);
  }

  async ack(receipt: string): Promise<void> {
    await this.sqs.send(new (await sqsCommands()).DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }
}
