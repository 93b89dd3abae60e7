// One dataset as the catalogue shows it: the record with its place in the hierarchy. Drafts exist
// only for those who may edit them; a withdrawn dataset is a tombstone (title, date, reason) for
// everyone else.
import { eq } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { Database } from '../db/client.ts';
import { datasetRepresentatives } from '../identity/roles.sql.ts';
import { type Actor, mayEdit } from './access.ts';
import { catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import { readDataset } from './store.ts';

export async function datasetView(db: Database, actor: Actor | null, id: string) {
  const record = await readDataset(db, id);
  const canEdit = record ? await mayEdit(db, actor, record) : false;
  if (!record || (record.state === 'draft' && !canEdit)) throw new AppError('not_found', `no dataset ${id}`);
  const [place] = await db
    .select({
      seriesId: catalogueSeries.id,
      seriesTitle: catalogueSeries.title,
      networkId: catalogueNetworks.id,
      networkTitle: catalogueNetworks.title,
    })
    .from(catalogueSeries)
    .innerJoin(catalogueNetworks, eq(catalogueNetworks.id, catalogueSeries.networkId))
    .where(eq(catalogueSeries.id, record.metadata.seriesId));
  const tombstone = record.state === 'withdrawn' && !canEdit;
  const representatives = canEdit
    ? (
        await db
          .select({ subject: datasetRepresentatives.subject })
          .from(datasetRepresentatives)
          .where(eq(datasetRepresentatives.datasetId, id))
      ).map((r) => r.subject)
    : null;
  return {
    id: record.id,
    state: record.state,
    title: record.metadata.title,
    version: record.version,
    nodeId: record.nodeId,
    sourceId: record.sourceId,
    source: record.source,
    issuedAt: record.issuedAt,
    modifiedAt: record.modifiedAt,
    publishedAt: record.publishedAt,
    withdrawnAt: record.withdrawnAt,
    withdrawnReason: record.withdrawnReason,
    metadata: tombstone ? null : record.metadata,
    series: place ? { id: place.seriesId, title: place.seriesTitle } : null,
    network: place ? { id: place.networkId, title: place.networkTitle } : null,
    canEdit,
    representatives,
  };
}
