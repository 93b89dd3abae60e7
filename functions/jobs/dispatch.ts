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
  // Every signature first, then every enqueue at once: the first woken node's lease and answer then
  // queue behind the remaining inserts instead of between them, so the last node is not served last.
  const signed = await Promise.all(
    planned.map(async (p) => {
      const ttlSeconds = Math.max(1, Math.ceil((p.expiresAt.getTime() - nowMs) / 1000));
      return { ...p, jws: await s.jobSigner.sign({ jobId: p.jobId, nodeId: p.nodeId, body: p.body, ttlSeconds, nowMs }) };
    }),
  );
  await Promise.all(
    signed.map(async (p) => {
      try {
        await s.jobQueue.enqueue({ nodeId: p.nodeId, jobId: p.jobId, jws: p.jws, notAfter: p.expiresAt });
      } catch (err) {
        s.logger.error('job dispatch failed', { jobId: p.jobId, nodeId: p.nodeId, error: (err as Error).message });
      }
    }),
  );
}
