import { and, eq, inArray, lt } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import { dispatchJobs } from '../jobs/dispatch.ts';
import { jobs } from '../jobs/jobs.sql.ts';
import { listNodes } from '../nodes/node-repo.ts';
import type { Logger } from '../ports/logger.ts';
import type { Services } from '../services.ts';
import { queryHash } from './canonical-query.ts';
import { searchAudit, searchNodes, searches } from './search.sql.ts';
import { DEADLINE_LIMITS, type SearchBody } from './search-request.ts';
import { signalSearchChange } from './search-signals.ts';
import { getSearch } from './search-view.ts';

export { getSearch } from './search-view.ts';

/**
 * A count query fans out as one signed job per online node; registered nodes that are offline are
 * recorded as skipped, so the user sees who was not asked. Everything lives in Postgres, so a hub
 * restart loses nothing: answers that arrive later still land, and the deadline still closes it.
 */
export async function createSearch(s: Services, owner: string, req: SearchBody, log: Logger = s.logger) {
  const now = s.clock.now();
  const deadlineSeconds = req.deadlineSeconds ?? Math.min(s.config.SEARCH_DEADLINE_SECONDS, DEADLINE_LIMITS.max);
  const deadlineAt = new Date(now.getTime() + deadlineSeconds * 1000);
  const registered = (await listNodes(s)).filter((n) => n.status === 'active');
  const searchId = newId('srch', now.getTime());
  const planned = registered.filter((n) => n.online).map((n) => ({ nodeId: n.id, jobId: newId('job', now.getTime()) }));
  const skipped = registered.filter((n) => !n.online).map((n) => n.id);
  const hash = await queryHash(req.ast);

  await s.db.transaction(async (tx) => {
    await tx.insert(searches).values({ id: searchId, owner, query: req.ast, clientId: req.id ?? null, deadlineAt, createdAt: now, queryHash: hash });
    if (planned.length > 0) {
      await tx.insert(jobs).values(planned.map((p) => ({ id: p.jobId, nodeId: p.nodeId, kind: 'search.count', expiresAt: deadlineAt })));
    }
    const rows = [
      ...planned.map((p) => ({ searchId, nodeId: p.nodeId, jobId: p.jobId })),
      ...skipped.map((nodeId) => ({ searchId, nodeId, jobId: null, status: 'skipped' as const })),
    ];
    if (rows.length > 0) await tx.insert(searchNodes).values(rows);
    await tx.insert(searchAudit).values({
      id: newId('evt', now.getTime()),
      searchId,
      subject: owner,
      queryHash: hash,
      deadlineSeconds,
      nodesAsked: planned.length,
      nodesSkipped: skipped.length,
      createdAt: now,
    });
  });
  // The audit line carries the hash, never the tree: a query can describe a very small cohort.
  log.info('search created', { searchId, who: owner, queryHash: hash, deadlineSeconds, nodesAsked: planned.length, nodesSkipped: skipped.length });

  await dispatchJobs(
    s,
    planned.map((p) => ({ ...p, body: { kind: 'search.count' as const, payload: { searchId, query: req.ast } }, expiresAt: deadlineAt })),
  );
  await s.taskQueue.send({ type: 'search.deadline', searchId }, { delaySeconds: deadlineSeconds + 1 });
  return getSearch(s, { sub: owner, admin: false }, searchId);
}

export type SearchOutcome =
  | { status: 'answered'; result: CountResult }
  | { status: 'unsupported'; unsupportedKeys: string[] }
  | { status: 'error'; error: { code: string; message: string } };

function answerColumns(outcome: SearchOutcome, now: Date) {
  switch (outcome.status) {
    case 'answered':
      return { status: 'answered' as const, result: outcome.result, answeredAt: now };
    case 'unsupported':
      return { status: 'unsupported' as const, unsupportedKeys: outcome.unsupportedKeys, answeredAt: now };
    case 'error':
      return { status: 'error' as const, error: outcome.error, answeredAt: now };
  }
}

/**
 * Records one node's answer for its own job. Idempotent by job id: a redelivered job's second answer
 * changes nothing. An answer after the deadline is not counted (the user was promised the deadline).
 */
export async function recordSearchAnswer(s: Services, nodeId: string, jobId: string, outcome: SearchOutcome): Promise<{ recorded: boolean }> {
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
    .set(late ? { status: 'timed_out' } : answerColumns(outcome, now))
    .where(and(eq(searchNodes.jobId, jobId), eq(searchNodes.status, 'pending')))
    .returning({ jobId: searchNodes.jobId });
  await s.db
    .update(jobs)
    .set({ status: outcome.status !== 'error' && !late ? 'done' : 'failed', completedAt: now })
    .where(and(eq(jobs.id, jobId), eq(jobs.status, 'dispatched')));
  if (updated.length === 1) signalSearchChange(s, row.searchId);
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
  const jobIds = expired.flatMap((e) => (e.jobId ? [e.jobId] : []));
  if (jobIds.length > 0) {
    await s.db.update(jobs).set({ status: 'failed', completedAt: s.clock.now() }).where(and(inArray(jobs.id, jobIds), lt(jobs.createdAt, search.deadlineAt)));
    signalSearchChange(s, searchId);
  }
  return expired.length;
}
