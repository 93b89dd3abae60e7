import { and, eq, inArray } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import { dispatchJobs } from '../jobs/dispatch.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { type RunNodeState, runNodes, runs } from './processing.sql.ts';
import type { CreateRunInput, RunPlan } from './run-request.ts';

/**
 * How long a run job waits in a node's queue. A node that has not claimed it by then will refuse it
 * as expired, and the hub shows its part as timed out.
 */
export const RUN_JOB_TTL_MS = 15 * 60_000;
export const ACTIVE_STATES: RunNodeState[] = ['pending', 'dispatched', 'queued', 'running'];

/** Stores the run, one signed job per node, and a USE_DATASETS trace for every node that got its job. */
export async function startRun(s: Services, user: string, input: CreateRunInput, plan: RunPlan): Promise<string> {
  const now = s.clock.now();
  const runId = newId('run', now.getTime());
  const parts = plan.nodes.map((n) => ({ ...n, jobId: newId('job', now.getTime()) }));
  await s.db.transaction(async (tx) => {
    await tx.insert(runs).values({
      id: runId,
      owner: user,
      toolId: plan.tool.id,
      toolVersion: plan.tool.version,
      parameters: input.parameters,
      inputs: input.inputs,
    });
    await tx
      .insert(runNodes)
      .values(parts.map((p) => ({ runId, nodeId: p.nodeId, jobId: p.jobId, state: 'pending' as const, datasets: p.datasets })));
  });
  const expiresAt = new Date(now.getTime() + RUN_JOB_TTL_MS);
  const queued = await dispatchJobs(
    s,
    parts.map((p) => ({
      jobId: p.jobId,
      nodeId: p.nodeId,
      expiresAt,
      body: {
        kind: 'processing.run',
        payload: {
          runId,
          user,
          tool: { id: plan.tool.id, version: plan.tool.version, digest: plan.tool.image.digest },
          parameters: input.parameters,
          inputs: p.inputs,
          grants: p.grants,
          ...(input.timeoutSeconds ? { timeoutSeconds: input.timeoutSeconds } : {}),
        },
      },
    })),
  );
  const sent = parts.filter((p) => queued.has(p.jobId));
  if (sent.length) {
    await s.db
      .update(runNodes)
      .set({ state: 'dispatched', updatedAt: s.clock.now() })
      .where(
        and(
          eq(runNodes.runId, runId),
          inArray(
            runNodes.nodeId,
            sent.map((p) => p.nodeId),
          ),
          eq(runNodes.state, 'pending'),
        ),
      );
  }
  for (const p of sent) {
    await recordTrace(s, {
      userId: user,
      userAction: 'USE_DATASETS',
      datasetIds: p.datasets,
      tool: { name: plan.tool.id, version: plan.tool.version },
      runId,
      nodeId: p.nodeId,
    });
  }
  return runId;
}

/**
 * Asks every node whose part has not ended to stop (a signed `processing.cancel` job). Their states
 * change when they report; a part never handed to its node is cancelled at once.
 */
export async function cancelRun(s: Services, runId: string): Promise<{ cancelJobs: string[]; cancelRequestedAt: Date }> {
  const now = s.clock.now();
  await s.db.update(runs).set({ cancelRequestedAt: now }).where(eq(runs.id, runId));
  await s.db
    .update(runNodes)
    .set({ state: 'cancelled', endedAt: now, updatedAt: now })
    .where(and(eq(runNodes.runId, runId), eq(runNodes.state, 'pending')));
  const open = await s.db
    .select({ nodeId: runNodes.nodeId })
    .from(runNodes)
    .where(and(eq(runNodes.runId, runId), inArray(runNodes.state, ['dispatched', 'queued', 'running'])));
  const expiresAt = new Date(now.getTime() + RUN_JOB_TTL_MS);
  const planned = open.map((n) => ({
    jobId: newId('job', now.getTime()),
    nodeId: n.nodeId,
    expiresAt,
    body: { kind: 'processing.cancel' as const, payload: { runId } },
  }));
  if (planned.length) await dispatchJobs(s, planned);
  return { cancelJobs: planned.map((p) => p.jobId), cancelRequestedAt: now };
}
