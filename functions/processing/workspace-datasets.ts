import { asc, eq } from 'drizzle-orm';
import { catalogueDatasets } from '../catalogue/catalogue.sql.ts';
import { accessGrants } from '../negotiation/negotiation.sql.ts';
import type { Services } from '../services.ts';
import { liveProcessingGrants } from './run-request.ts';

/**
 * The datasets this user may run tools on now (a live grant for remote or in-situ processing), with
 * the node the catalogue says holds each: what the seed's workspace lists under "My Datasets".
 */
export async function processableDatasets(s: Pick<Services, 'db' | 'clock'>, user: string) {
  const rows = await s.db
    .select({ g: accessGrants, title: catalogueDatasets.title, nodeId: catalogueDatasets.nodeId })
    .from(accessGrants)
    .leftJoin(catalogueDatasets, eq(catalogueDatasets.id, accessGrants.datasetId))
    .where(liveProcessingGrants(user, s.clock.now()))
    .orderBy(asc(accessGrants.datasetId));
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.g.datasetId) && seen.add(r.g.datasetId))
    .map((r) => ({
      datasetId: r.g.datasetId,
      title: r.title ?? r.g.datasetId,
      nodeId: r.nodeId ?? null,
      access: r.g.access,
      expiresAt: r.g.expiresAt.toISOString(),
    }));
}
