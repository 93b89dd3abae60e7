import type { JobBody } from '../../shared/job-protocol.ts';
import type { Services } from '../services.ts';

/**
 * Signs each job for its node and puts it on that node's queue. A queue failure is logged and
 * leaves the job undelivered: its search shows the node as pending until the deadline says otherwise.
 */
export async function dispatchJobs(
  s: Services,
  planned: { jobId: string; nodeId: string; body: JobBody; expiresAt: Date }[],
): Promise<void> {
  const nowMs = s.clock.now().getTime();
  await Promise.all(
    planned.map(async (p) => {
      const ttlSeconds = Math.max(1, Math.ceil((p.expiresAt.getTime() - nowMs) / 1000));
      const jws = await s.jobSigner.sign({ jobId: p.jobId, nodeId: p.nodeId, body: p.body, ttlSeconds, nowMs });
      try {
        await s.jobQueue.enqueue({ nodeId: p.nodeId, jobId: p.jobId, jws, notAfter: p.expiresAt });
      } catch (err) {
        s.logger.error('job dispatch failed', { jobId: p.jobId, nodeId: p.nodeId, error: (err as Error).message });
      }
    }),
  );
}
