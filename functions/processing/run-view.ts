import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { UserPrincipal } from '../middleware/guards.ts';
import { nodes } from '../nodes/nodes.sql.ts';
import type { Services } from '../services.ts';
import { type RunNodeState, runNodes, runs, runUploads, tools } from './processing.sql.ts';
import { ACTIVE_STATES, RUN_JOB_TTL_MS } from './run-dispatch.ts';

/** Past the tool's timeout a node has this long to report before the hub stops waiting for it. */
export const REPORT_GRACE_MS = 10 * 60_000;
/** A node silent this long is taken to be gone: the parts it had queued behind its own runs time out. */
export const QUEUED_NODE_SILENCE_MS = 60 * 60_000;

export type RunState = 'pending' | 'running' | 'cancelling' | 'completed' | 'partial' | 'failed' | 'cancelled';

/** The run as a whole, from its nodes' parts: done when every part has ended. */
export function overallState(states: RunNodeState[], cancelRequested: boolean): RunState {
  if (states.some((st) => ACTIVE_STATES.includes(st)))
    return cancelRequested ? 'cancelling' : states.includes('running') ? 'running' : 'pending';
  if (states.every((st) => st === 'completed')) return 'completed';
  if (states.every((st) => st === 'cancelled')) return 'cancelled';
  return states.includes('completed') ? 'partial' : 'failed';
}

/**
 * The hub stops waiting where a node went quiet: a job never claimed before it expired, or a run
 * far past its timeout. Done on read, so no sweeper is needed; a late report from the node still wins.
 */
async function closeSilentParts(s: Services, runId: string, timeoutSeconds: number): Promise<void> {
  const now = s.clock.now();
  await s.db
    .update(runNodes)
    .set({ state: 'timed_out', endedAt: now, updatedAt: now })
    .where(
      and(
        eq(runNodes.runId, runId),
        inArray(runNodes.state, ['pending', 'dispatched']),
        lt(runNodes.updatedAt, new Date(now.getTime() - RUN_JOB_TTL_MS)),
      ),
    );
  await s.db
    .update(runNodes)
    .set({ state: 'timed_out', endedAt: now, updatedAt: now })
    .where(
      and(
        eq(runNodes.runId, runId),
        eq(runNodes.state, 'running'),
        lt(runNodes.startedAt, new Date(now.getTime() - timeoutSeconds * 1000 - REPORT_GRACE_MS)),
      ),
    );
  // A queued part waits as long as its node's own runs take, but not for a node that is gone: a busy
  // bridge still polls for jobs and reports health every 30 s, which keeps its last-seen time fresh.
  const gone = s.db
    .select({ id: nodes.id })
    .from(nodes)
    .where(or(isNull(nodes.lastSeenAt), lt(nodes.lastSeenAt, new Date(now.getTime() - QUEUED_NODE_SILENCE_MS))));
  await s.db
    .update(runNodes)
    .set({ state: 'timed_out', endedAt: now, updatedAt: now })
    .where(and(eq(runNodes.runId, runId), eq(runNodes.state, 'queued'), inArray(runNodes.nodeId, gone)));
}

/** The run row if this user may see it (its owner or a platform admin); 404 otherwise, so ids leak nothing. */
export async function visibleRun(s: Services, p: UserPrincipal, runId: string) {
  const [run] = await s.db.select().from(runs).where(eq(runs.id, runId));
  if (!run || (run.owner !== p.user.sub && !p.admin)) throw new AppError('not_found', `no run ${runId}`);
  return run;
}

// The bridge names its log `<tool>_<node>.log` (the seed's `fl-trainer_<node>.log`); prefer it.
const logName = (paths: string[], usual: string): string | null => (paths.includes(usual) ? usual : (paths[0] ?? null));

export async function runView(s: Services, run: typeof runs.$inferSelect) {
  const [tool] = await s.db
    .select()
    .from(tools)
    .where(and(eq(tools.id, run.toolId), eq(tools.version, run.toolVersion)));
  await closeSilentParts(s, run.id, tool?.approval.timeoutSeconds ?? 0);
  const [parts, logs] = await Promise.all([
    s.db.select().from(runNodes).where(eq(runNodes.runId, run.id)).orderBy(runNodes.nodeId),
    s.db
      .select({ nodeId: runUploads.nodeId, path: runUploads.path })
      .from(runUploads)
      .where(and(eq(runUploads.runId, run.id), eq(runUploads.kind, 'log')))
      .orderBy(desc(runUploads.expiresAt)),
  ]);
  return {
    id: run.id,
    owner: run.owner,
    tool: { id: run.toolId, version: run.toolVersion, description: tool?.approval.description ?? null, docsUrl: tool?.docsUrl ?? null },
    parameters: run.parameters,
    inputs: run.inputs,
    createdAt: run.createdAt.toISOString(),
    cancelRequestedAt: run.cancelRequestedAt?.toISOString() ?? null,
    state: overallState(
      parts.map((p) => p.state),
      !!run.cancelRequestedAt,
    ),
    nodes: parts.map((p) => ({
      nodeId: p.nodeId,
      state: p.state,
      datasets: p.datasets,
      reason: p.outcome?.reason ?? null,
      exitCode: p.outcome?.exitCode ?? null,
      startedAt: p.startedAt?.toISOString() ?? null,
      endedAt: p.endedAt?.toISOString() ?? null,
      outputs: p.outcome?.outputs.accepted ?? [],
      rejected: p.outcome?.outputs.rejected ?? [],
      /** The log's file name (like the seed's `fl-trainer_<node>.log`), once the node sent one. */
      log: logName(
        logs.filter((l) => l.nodeId === p.nodeId).map((l) => l.path),
        `${run.toolId}_${p.nodeId}.log`,
      ),
    })),
  };
}
export type RunView = Awaited<ReturnType<typeof runView>>;

/**
 * One node's part as the download routes need it: its datasets, accepted outputs and log name.
 * Reads only: serving a file has no reason to close silent parts as a full view does.
 */
export async function runPart(s: Services, run: typeof runs.$inferSelect, nodeId: string) {
  const [part] = await s.db
    .select()
    .from(runNodes)
    .where(and(eq(runNodes.runId, run.id), eq(runNodes.nodeId, nodeId)));
  if (!part) return undefined;
  const logs = await s.db
    .select({ path: runUploads.path })
    .from(runUploads)
    .where(and(eq(runUploads.runId, run.id), eq(runUploads.nodeId, nodeId), eq(runUploads.kind, 'log')))
    .orderBy(desc(runUploads.expiresAt));
  return {
    datasets: part.datasets,
    outputs: part.outcome?.outputs.accepted ?? [],
    log: logName(
      logs.map((l) => l.path),
      `${run.toolId}_${nodeId}.log`,
    ),
  };
}

/** My runs, newest first (all runs for admins), with their overall state. */
export async function listRuns(s: Services, p: UserPrincipal) {
  const rows = await s.db
    .select()
    .from(runs)
    .where(p.admin ? undefined : eq(runs.owner, p.user.sub))
    .orderBy(desc(runs.createdAt))
    .limit(200);
  const parts = rows.length
    ? await s.db
        .select({ runId: runNodes.runId, nodeId: runNodes.nodeId, state: runNodes.state })
        .from(runNodes)
        .where(
          inArray(
            runNodes.runId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return rows.map((r) => {
    const mine = parts.filter((p) => p.runId === r.id).sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return {
      id: r.id,
      owner: r.owner,
      tool: { id: r.toolId, version: r.toolVersion },
      createdAt: r.createdAt.toISOString(),
      state: overallState(
        mine.map((p) => p.state),
        !!r.cancelRequestedAt,
      ),
      nodes: mine.map((p) => ({ nodeId: p.nodeId, state: p.state })),
    };
  });
}
