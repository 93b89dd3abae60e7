import { and, eq, inArray, lt } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { SearchRequest } from '../../shared/query.ts';
import { dispatchJobs } from '../jobs/dispatch.ts';
import { jobs } from '../jobs/jobs.sql.ts';
import { onlineNodes } from '../nodes/node-repo.ts';
import type { Services } from '../services.ts';
import { searchNodes, searches } from './search.sql.ts';

/**
 * A count query fans out as one signed job per online node. Everything lives in Postgres, so a
 * hub restart loses nothing: answers that arrive later still land, and the deadline still closes it.
 */
export async function createSearch(s: Services, owner: string, req: SearchRequest) {
  const now = s.clock.now();
  const deadlineAt = new Date(now.getTime() + s.config.SEARCH_DEADLINE_SECONDS * 1000);
  const targets = await onlineNodes(s);
  const searchId = newId('srch', now.getTime());
  const planned = targets.map((n) => ({ nodeId: n.id, jobId: newId('job', now.getTime()) }));

  await s.db.transaction(async (tx) => {
    await tx.insert(searches).values({ id: searchId, owner, query: req.ast, clientId: req.id ?? null, deadlineAt, createdAt: now });
    if (planned.length === 0) return;
    await tx.insert(jobs).values(planned.map((p) => ({ id: p.jobId, nodeId: p.nodeId, kind: 'search.count', expiresAt: deadlineAt })));
    await tx.insert(searchNodes).values(planned.map((p) => ({ searchId, nodeId: p.nodeId, jobId: p.jobId })));
  });

  await dispatchJobs(
    s,
    planned.map((p) => ({ ...p, body: { kind: 'search.count' as const, payload: { searchId, query: req.ast } }, expiresAt: deadlineAt })),
  );
  await s.taskQueue.send({ type: 'search.deadline', searchId }, { delaySeconds: s.config.SEARCH_DEADLINE_SECONDS + 1 });
  return getSearch(s, { sub: owner, admin: false }, searchId);
}

export async function getSearch(s: Services, viewer: { sub: string; admin: boolean }, searchId: string) {
  const [search] = await s.db.select().from(searches).where(eq(searches.id, searchId));
  // Someone else's search is reported as absent, not forbidden: ids must not reveal activity.
  if (!search || (search.owner !== viewer.sub && !viewer.admin)) throw new AppError('not_found', 'no such search');
  const rows = await s.db.select().from(searchNodes).where(eq(searchNodes.searchId, searchId)).orderBy(searchNodes.nodeId);
  const past = s.clock.now() > search.deadlineAt;
  const nodes = rows.map((r) => ({
    nodeId: r.nodeId,
    status: r.status === 'pending' && past ? ('timed_out' as const) : r.status,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    result: r.result ?? null,
    error: r.error ?? null,
  }));
  const total = { subjects_count: 0, studies_count: 0 };
  for (const n of nodes) {
    if (n.status !== 'answered' || !n.result) continue;
    total.subjects_count += n.result.total.subjects_count;
    total.studies_count += n.result.total.studies_count;
  }
  return {
    id: search.id,
    clientId: search.clientId,
    status: nodes.some((n) => n.status === 'pending') ? ('running' as const) : ('completed' as const),
    createdAt: search.createdAt.toISOString(),
    deadlineAt: search.deadlineAt.toISOString(),
    query: search.query,
    nodes,
    total,
  };
}

/**
 * Records one node's answer for its own job. Idempotent by job id: a redelivered job's second answer
 * changes nothing. An answer after the deadline is not counted (the user was promised the deadline).
 */
export async function recordSearchAnswer(
  s: Services,
  nodeId: string,
  jobId: string,
  outcome: { status: 'answered'; result: CountResult } | { status: 'error'; error: { code: string; message: string } },
): Promise<{ recorded: boolean }> {
  const [row] = await s.db
    .select({ searchId: searchNodes.searchId, deadlineAt: searches.deadlineAt })
    .from(searchNodes)
    .innerJoin(searches, eq(searches.id, searchNodes.searchId))
    .where(and(eq(searchNodes.jobId, jobId), eq(searchNodes.nodeId, nodeId)));
  if (!row) throw new AppError('not_found', 'no such job for this node');
  const now = s.clock.now();
  const late = now > row.deadlineAt;
  const updated = await s.db
    .update(searchNodes)
    .set(
      late
        ? { status: 'timed_out' }
        : outcome.status === 'answered'
          ? { status: 'answered', result: outcome.result, answeredAt: now }
          : { status: 'error', error: outcome.error, answeredAt: now },
    )
    .where(and(eq(searchNodes.jobId, jobId), eq(searchNodes.status, 'pending')))
    .returning({ jobId: searchNodes.jobId });
  await s.db
    .update(jobs)
    .set({ status: outcome.status === 'answered' && !late ? 'done' : 'failed', completedAt: now })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'dispatched')));
  return { recorded: updated.length === 1 && !late };
}

/** The deadline task: whatever is still pending becomes timed_out. Safe to run twice. */
export async function closeSearchAtDeadline(s: Services, searchId: string): Promise<number> {
  const [search] = await s.db.select({ deadlineAt: searches.deadlineAt }).from(searches).where(eq(searches.id, searchId));
  if (!search || s.clock.now() < search.deadlineAt) return 0;
  const expired = await s.db
    .update(searchNodes)
    .set({ status: 'timed_out' })
    .where(and(eq(searchNodes.searchId, searchId), eq(searchNodes.status, 'pending')))
    .returning({ jobId: searchNodes.jobId });
  if (expired.length > 0) {
    await s.db.update(jobs).set({ status: 'failed', completedAt: s.clock.now() }).where(
      and(inArray(jobs.id, expired.map((e) => e.jobId)), lt(jobs.createdAt, search.deadlineAt)),
    );
  }
  return expired.length;
}
