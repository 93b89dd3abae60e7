import type { JobBody } from '../../shared/job-protocol.ts';
import type { Services } from '../services.ts';

/**
 * Signs each job for its node and puts the whole fan-out on the queue in one call. A queue failure is
 * logged and leaves that job undelivered: its search shows the node as pending until the deadline
 * says otherwise, its run part as pending. Answers the ids of the jobs that were queued.
 */
export async function dispatchJobs(
  s: Services,
  planned: { jobId: string; nodeId: string; body: JobBody; expiresAt: Date }[],
): Promise<Set<string>> {
  const nowMs = s.clock.now().getTime();
  const signed = await Promise.all(
    planned.map(async (p) => {
      const ttlSeconds = Math.max(1, Math.ceil((p.expiresAt.getTime() - nowMs) / 1000));
      const jws = await s.jobSigner.sign({ jobId: p.jobId, nodeId: p.nodeId, body: p.body, ttlSeconds, nowMs });
      return { nodeId: p.nodeId, jobId: p.jobId, jws, notAfter: p.expiresAt };
    }),
  );
  // One insert (or one SendMessageBatch per queue) instead of one per node: with 20 nodes the
  // per-row inserts were most of the time before the last node had its job.
  let failed: { jobId: string; nodeId: string; error: string }[];
  try {
    ({ failed } = await s.jobQueue.enqueueMany(signed));
  } catch (err) {
    failed = signed.map((p) => ({ jobId: p.jobId, nodeId: p.nodeId, error: (err as Error).message }));
  }
  for (const f of failed) s.logger.error('job dispatch failed', f);
  const lost = new Set(failed.map((f) => f.jobId));
  return new Set(signed.filter((j) => !lost.has(j.jobId)).map((j) => j.jobId));
}
