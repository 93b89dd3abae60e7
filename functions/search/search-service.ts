import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import { rowsOf } from '../db/client.ts';
import { dispatchJobs } from '../jobs/dispatch.ts';
import { jobs } from '../jobs/jobs.sql.ts';
import { listNodes } from '../nodes/node-repo.ts';
import type { Logger } from '../ports/logger.ts';
import type { Services } from '../services.ts';
import { unsupportedKeys } from './capability-check.ts';
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
export async function createSearch(
  s: Services,
  owner: string,
  req: SearchBody,
  log: Logger = s.logger,
  /** Ask only these nodes (Spot's `sites`); the others are not part of the search. */
  only?: readonly string[],
) {
  const now = s.clock.now();
  const deadlineSeconds = req.deadlineSeconds ?? Math.min(s.config.SEARCH_DEADLINE_SECONDS, DEADLINE_LIMITS.max);
  const deadlineAt = new Date(now.getTime() + deadlineSeconds * 1000);
  const registered = (await listNodes(s)).filter((n) => n.status === 'active' && (!only || only.includes(n.id)));
  if (only && registered.length === 0)
    throw new AppError('bad_request', `none of the sites ${only.join(', ')} is a node of this federation`);
  const searchId = newId('srch', now.getTime());
  const online = registered.filter((n) => n.online).map((n) => ({ nodeId: n.id, missing: unsupportedKeys(req.ast, n.capabilities) }));
  // A node whose manifest says it cannot evaluate part of the query answers unsupported now, unasked.
  const unsupported = online.filter((n) => n.missing.length > 0);
  const planned = online.filter((n) => n.missing.length === 0).map((n) => ({ nodeId: n.nodeId, jobId: newId('job', now.getTime()) }));
  const skipped = registered.filter((n) => !n.online).map((n) => n.id);
  const hash = await queryHash(req.ast);

  // One statement instead of a transaction of six round trips: it is atomic all the same, and every
  // round trip here delays the moment the first node gets its job.
  const nodeRows = [
    ...planned.map((p) => ({ node_id: p.nodeId, job_id: p.jobId, status: 'pending' })),
    ...unsupported.map((n) => ({
      node_id: n.nodeId,
      job_id: null,
      status: 'unsupported',
      unsupported_keys: n.missing,
      answered_at: now.toISOString(),
    })),
    ...skipped.map((nodeId) => ({ node_id: nodeId, job_id: null, status: 'skipped' })),
  ];
  await s.db.execute(sql`
    with search as (
      insert into ${searches} (id, owner, query, client_id, deadline_at, created_at, query_hash)
      values (${searchId}, ${owner}, ${JSON.stringify(req.ast)}::jsonb, ${req.id ?? null}, ${deadlineAt.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${hash})
      returning id
    ), job as (
      insert into ${jobs} (id, node_id, kind, expires_at)
      select x.job_id, x.node_id, 'search.count', ${deadlineAt.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(nodeRows)}::jsonb) as x(node_id text, job_id text, status text) where x.job_id is not null
      returning id
    ), node as (
      insert into ${searchNodes} (search_id, node_id, job_id, status, unsupported_keys, answered_at)
      select (select id from search), x.node_id, x.job_id, x.status, x.unsupported_keys, x.answered_at
      from jsonb_to_recordset(${JSON.stringify(nodeRows)}::jsonb) as x(node_id text, job_id text, status text, unsupported_keys jsonb, answered_at timestamptz)
      returning node_id
    )
    insert into ${searchAudit} (id, search_id, subject, query_hash, deadline_seconds, nodes_asked, nodes_skipped, created_at)
    values (${newId('evt', now.getTime())}, (select id from search), ${owner}, ${hash}, ${deadlineSeconds}, ${planned.length}, ${skipped.length}, ${now.toISOString()}::timestamptz)`);
  // The audit line carries the hash, never the tree: a query can describe a very small cohort.
  log.info('search created', {
    searchId,
    who: owner,
    queryHash: hash,
    deadlineSeconds,
    nodesAsked: planned.length,
    nodesSkipped: skipped.length,
  });

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

/**
 * Records one node's answer for its own job, in one statement: find the job's search (only for this
 * node), set the answer unless the deadline has passed (then timed_out: the user was promised the
 * deadline), and close the job. Idempotent by job id: a redelivered job's second answer changes nothing.
 */
export async function recordSearchAnswer(
  s: Services,
  nodeId: string,
  jobId: string,
  outcome: SearchOutcome,
): Promise<{ recorded: boolean }> {
  const now = s.clock.now().toISOString();
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  const result = await s.db.execute(sql`
    with target as (
      select ${searchNodes.searchId} as search_id, ${searches.deadlineAt} < ${now}::timestamptz as late
      from ${searchNodes} join ${searches} on ${searches.id} = ${searchNodes.searchId}
      where ${searchNodes.jobId} = ${jobId} and ${searchNodes.nodeId} = ${nodeId}
    ), answer as (
      update ${searchNodes} set
        status = case when t.late then 'timed_out' else ${outcome.status} end,
        result = case when t.late then null else ${json(outcome.status === 'answered' ? outcome.result : undefined)}::jsonb end,
        unsupported_keys = case when t.late then null else ${json(outcome.status === 'unsupported' ? outcome.unsupportedKeys : undefined)}::jsonb end,
        error = case when t.late then null else ${json(outcome.status === 'error' ? outcome.error : undefined)}::jsonb end,
        answered_at = case when t.late then null else ${now}::timestamptz end
      from target t
      where ${searchNodes.jobId} = ${jobId} and ${searchNodes.status} = 'pending'
      returning 1
    ), job as (
      update ${jobs} set status = case when t.late then 'failed' else ${outcome.status === 'error' ? 'failed' : 'done'} end, completed_at = ${now}::timestamptz
      from target t
      where ${jobs.id} = ${jobId} and ${jobs.status} = 'dispatched'
      returning 1
    )
    select t.search_id, t.late, (select count(*) from answer)::int as updated from target t`);
  const [row] = rowsOf<{ search_id: string; late: boolean; updated: number }>(result);
  if (!row) throw new AppError('not_found', 'no such job for this node');
  const updated = Number(row.updated) === 1;
  if (updated) signalSearchChange(s, row.search_id);
  return { recorded: updated && !row.late };
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
    await s.db
      .update(jobs)
      .set({ status: 'failed', completedAt: s.clock.now() })
      .where(and(inArray(jobs.id, jobIds), lt(jobs.createdAt, search.deadlineAt)));
    signalSearchChange(s, searchId);
  }
  return expired.length;
}
