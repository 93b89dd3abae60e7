import { and, eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { jobQueue } from '../adapters/queue-postgres.sql.ts';
import type { RunStatusReport } from '../../shared/processing/bridge-api.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { runNodes, runs } from './processing.sql.ts';

/**
 * A node's report on its part of a run. `queued` says the node holds the job but runs its limit
 * already (so the hub no longer times the part out as unclaimed); `running` moves a waiting part on
 * (and traces the materialisation once); `ended` records the outcome. The same outcome twice is harmless; another
 * one after the node's own final report is a conflict. A state the hub set by itself (timed out
 * while the node was silent, cancelled before dispatch) gives way to the node's own word.
 */
export async function recordRunStatus(s: Services, runId: string, nodeId: string, report: RunStatusReport): Promise<void> {
  const [part] = await s.db
    .select()
    .from(runNodes)
    .where(and(eq(runNodes.runId, runId), eq(runNodes.nodeId, nodeId)));
  if (!part) throw new AppError('not_found', `${nodeId} has no part in run ${runId}`);
  const now = s.clock.now();
  // Any report proves the node claimed its job: take it off the hub's queue so it is not handed out
  // again (the bridge acknowledges run jobs by reporting, not by posting a result).
  if (s.jobQueue.kind === 'postgres') await s.db.delete(jobQueue).where(and(eq(jobQueue.jobId, part.jobId), eq(jobQueue.nodeId, nodeId)));

  if (report.state === 'queued') {
    if (part.state !== 'pending' && part.state !== 'dispatched') return;
    await s.db
      .update(runNodes)
      .set({ state: 'queued', updatedAt: now })
      .where(and(eq(runNodes.runId, runId), eq(runNodes.nodeId, nodeId), eq(runNodes.state, part.state)));
    return;
  }

  if (report.state === 'running') {
    if (part.state !== 'pending' && part.state !== 'dispatched' && part.state !== 'queued') return;
    const moved = await s.db
      .update(runNodes)
      .set({ state: 'running', startedAt: new Date(report.startedAt), updatedAt: now })
      .where(and(eq(runNodes.runId, runId), eq(runNodes.nodeId, nodeId), eq(runNodes.state, part.state)))
      .returning({ nodeId: runNodes.nodeId });
    // Only the report that moved the state traces, so a repeated report leaves one entry.
    if (moved.length) {
      const [run] = await s.db.select({ owner: runs.owner }).from(runs).where(eq(runs.id, runId));
      await recordTrace(s, {
        userId: run?.owner ?? 'unknown',
        userAction: 'MATERIALISE_DATASET',
        datasetIds: part.datasets,
        nodeId,
        runId,
      });
    }
    return;
  }

  const outcome = report.outcome;
  if (outcome.runId !== runId || outcome.nodeId !== nodeId) throw new AppError('bad_request', 'the outcome names another run or node');
  if (part.outcome) {
    if (part.outcome.state === outcome.state && part.outcome.reason?.code === outcome.reason?.code) return;
    throw new AppError('conflict', `this part already ended as ${part.outcome.state}`);
  }
  await s.db
    .update(runNodes)
    .set({
      state: outcome.state,
      outcome,
      startedAt: part.startedAt ?? new Date(outcome.startedAt),
      endedAt: new Date(outcome.finishedAt),
      updatedAt: now,
    })
    .where(and(eq(runNodes.runId, runId), eq(runNodes.nodeId, nodeId)));
}
