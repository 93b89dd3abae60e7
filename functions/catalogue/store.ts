// The catalogue's storage behind the contract the FAIR Data Point, the PID resolver and the
// harvester use (contract.ts). Every write goes through `writeVersion`, so every change keeps the
// previous version whichever door it came in by.
import { asc, count, eq, inArray, max } from 'drizzle-orm';
import type { DatasetRecord, DatasetSeries, Network } from '../../shared/catalogue/profile.ts';
import type { Database } from '../db/client.ts';
import { catalogueDatasets, catalogueDatasetVersions, catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import type { CatalogueReader, CatalogueWriter } from './contract.ts';
import { harvestWriter } from './harvest-writer.ts';
import { type DatasetRow, type Db, indexedColumns, isUuid, toRecord } from './record.ts';

type BaseRow = Pick<
  DatasetRow,
  | 'id'
  | 'state'
  | 'owner'
  | 'nodeId'
  | 'sourceId'
  | 'sourceIri'
  | 'sourceIdentifier'
  | 'sourceIssued'
  | 'sourceModified'
  | 'version'
  | 'metadata'
  | 'issuedAt'
  | 'modifiedAt'
  | 'publishedAt'
  | 'withdrawnAt'
  | 'withdrawnReason'
>;
export type VersionChange = 'registered' | 'updated' | 'published' | 'withdrawn' | 'harvested';

/** Writes the dataset's new state and keeps it as a numbered version, in the caller's transaction. */
export async function writeVersion(tx: Db, row: BaseRow, change: VersionChange, changedBy: string): Promise<DatasetRow> {
  // Only the base fields: the indexed copies always follow the metadata, and `search` is generated.
  const {
    id,
    state,
    owner,
    nodeId,
    sourceId,
    sourceIri,
    sourceIdentifier,
    sourceIssued,
    sourceModified,
    version,
    metadata,
    issuedAt,
    modifiedAt,
    publishedAt,
    withdrawnAt,
    withdrawnReason,
  } = row;
  const values = {
    id,
    state,
    owner,
    nodeId,
    sourceId,
    sourceIri,
    sourceIdentifier,
    sourceIssued,
    sourceModified,
    version,
    metadata,
    issuedAt,
    modifiedAt,
    publishedAt,
    withdrawnAt,
    withdrawnReason,
    ...indexedColumns(metadata),
  };
  const [saved] =
    row.version === 1
      ? await tx.insert(catalogueDatasets).values(values).returning()
      : await tx.update(catalogueDatasets).set(values).where(eq(catalogueDatasets.id, row.id)).returning();
  if (!saved) throw new Error(`dataset ${row.id} vanished while being written`);
  await tx.insert(catalogueDatasetVersions).values({
    datasetId: row.id,
    version: row.version,
    state: row.state,
    metadata: row.metadata,
    change,
    changedBy,
    changedAt: row.modifiedAt,
  });
  return saved;
}

/** The row, locked for the rest of the transaction so two writers cannot both take the next version. */
export async function lockDataset(tx: Db, id: string): Promise<DatasetRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await tx.select().from(catalogueDatasets).where(eq(catalogueDatasets.id, id)).for('update');
  return row;
}

const seriesOf = (r: typeof catalogueSeries.$inferSelect): DatasetSeries => ({
  id: r.id,
  title: r.title,
  description: r.description,
  publisher: r.publisher,
  networkId: r.networkId,
});

export type CatalogueStore = CatalogueReader & CatalogueWriter;

export function createCatalogueStore(db: Database, now: () => Date = () => new Date()): CatalogueStore {
  const published = eq(catalogueDatasets.state, 'published');
  const publishedSeriesIds = db.selectDistinct({ id: catalogueDatasets.seriesId }).from(catalogueDatasets).where(published);

  return {
    async publishedDatasets({ offset, limit }) {
      const [rows, [total]] = await Promise.all([
        db.select().from(catalogueDatasets).where(published).orderBy(asc(catalogueDatasets.id)).offset(offset).limit(limit),
        db.select({ n: count() }).from(catalogueDatasets).where(published),
      ]);
      return { items: rows.map(toRecord), total: total?.n ?? 0 };
    },

    async dataset(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(catalogueDatasets).where(eq(catalogueDatasets.id, id));
      return row ? toRecord(row) : null;
    },

    async series() {
      const rows = await db
        .select()
        .from(catalogueSeries)
        .where(inArray(catalogueSeries.id, publishedSeriesIds))
        .orderBy(asc(catalogueSeries.id));
      return rows.map(seriesOf);
    },

    async networks(): Promise<Network[]> {
      const networkIds = db
        .selectDistinct({ id: catalogueSeries.networkId })
        .from(catalogueSeries)
        .where(inArray(catalogueSeries.id, publishedSeriesIds));
      const rows = await db
        .select()
        .from(catalogueNetworks)
        .where(inArray(catalogueNetworks.id, networkIds))
        .orderBy(asc(catalogueNetworks.id));
      return rows.map((r) => ({ id: r.id, title: r.title, description: r.description }));
    },

    async lastModified() {
      const [row] = await db
        .select({ at: max(catalogueDatasets.modifiedAt) })
        .from(catalogueDatasets)
        .where(published);
      return row?.at ? new Date(row.at).toISOString() : null;
    },

    ...harvestWriter(db, now),
  };
}

/** Exported for the registry: the same shapes, read for one id in any state. */
export async function readDataset(db: Db, id: string): Promise<DatasetRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(catalogueDatasets).where(eq(catalogueDatasets.id, id));
  return row ? toRecord(row) : null;
}
