import { eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import { nodes } from '../nodes/nodes.sql.ts';
import { unknownTerms } from './catalogue-check.ts';
import type { Services } from '../services.ts';
import { searchNodes, searches } from './search.sql.ts';

export interface Viewer {
  sub: string;
  admin: boolean;
}

/** The stored search, if this viewer may see it. */
export async function loadSearch(s: Services, viewer: Viewer, searchId: string) {
  const [search] = await s.db.select().from(searches).where(eq(searches.id, searchId));
  // Someone else's search is reported as absent, not forbidden: ids must not reveal activity.
  if (!search || (search.owner !== viewer.sub && !viewer.admin)) throw new AppError('not_found', 'no such search');
  return search;
}

/**
 * A search as the explorer shows it. A node still pending past the deadline reads as timed_out even
 * before the deadline task has run, so no reader ever waits on the sweep.
 */
export async function getSearch(s: Services, viewer: Viewer, searchId: string) {
  const search = await loadSearch(s, viewer, searchId);
  const rows = await s.db
    .select({ row: searchNodes, name: nodes.name })
    .from(searchNodes)
    .leftJoin(nodes, eq(nodes.id, searchNodes.nodeId))
    .where(eq(searchNodes.searchId, searchId))
    .orderBy(searchNodes.nodeId);
  const past = s.clock.now() > search.deadlineAt;
  const nodeViews = rows.map(({ row: r, name }) => ({
    nodeId: r.nodeId,
    name: name ?? r.nodeId,
    status: r.status === 'pending' && past ? ('timed_out' as const) : r.status,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    result: r.result ?? null,
    error: r.error ?? null,
    unsupportedKeys: r.unsupportedKeys ?? [],
  }));
  const total = { subjects_count: 0, studies_count: 0 };
  for (const n of nodeViews) {
    if (n.status !== 'answered' || !n.result) continue;
    total.subjects_count += n.result.total.subjects_count;
    total.studies_count += n.result.total.studies_count;
  }
  return {
    id: search.id,
    clientId: search.clientId,
    status: nodeViews.some((n) => n.status === 'pending') ? ('running' as const) : ('completed' as const),
    createdAt: search.createdAt.toISOString(),
    deadlineAt: search.deadlineAt.toISOString(),
    query: search.query,
    queryHash: search.queryHash,
    /** Keys and codes the catalogue does not know ("unknown value X of filter Y"): sent on, and said here. */
    notices: unknownTerms(search.query).map((t) => t.message),
    nodes: nodeViews,
    total,
  };
}
export type SearchView = Awaited<ReturnType<typeof getSearch>>;
