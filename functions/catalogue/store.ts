// The catalogue's storage behind the contract the FAIR Data Point, the PID resolver and the
// harvester use (contract.ts). Every write goes through `writeVersion`, so every change keeps the
// previous version whichever door it came in by.
import { and, asc, count, eq, inArray, max, notInArray } from 'drizzle-orm';
import type { DatasetMetadata, DatasetRecord, DatasetSeries, DatasetState, Network } from '../../shared/catalogue/profile.ts';
import type { Database } from '../db/client.ts';
import { catalogueDatasets, catalogueDatasetVersions, catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import type { CatalogueReader, CatalogueWriter, HarvestedDataset } from './contract.ts';
import { type DatasetRow, type Db, indexedColumns, isUuid, toRecord } from './record.ts';

type BaseRow = Pick<
  DatasetRow,
  | 'id'
  | 'state'
  | 'owner'
  | 'nodeId'
  | 'sourceId'
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

/**
 * Creates a missing series and network the way a harvest meets them, with what the source says
 * about them (placeholders where it says nothing); existing ones are kept as the catalogue has them.
 */
export async function ensureSeries(tx: Db, seriesId: string, series: DatasetSeries | undefined, network?: Network): Promise<void> {
  const [found] = await tx.select({ id: catalogueSeries.id }).from(catalogueSeries).where(eq(catalogueSeries.id, seriesId));
  if (found) return;
  const networkId = series?.networkId ?? network?.id ?? 'unassigned';
  const described = network?.id === networkId ? network : undefined;
  await tx
    .insert(catalogueNetworks)
    .values({
      id: networkId,
      title: described?.title ?? (networkId === 'unassigned' ? 'Not yet in a network' : networkId),
      description: described?.description ?? 'Created when a harvest met it first.',
    })
    .onConflictDoNothing();
  await tx
    .insert(catalogueSeries)
    .values({
      id: seriesId,
      networkId,
      title: series?.title ?? seriesId,
      description: series?.description ?? 'Created when a harvest met it first.',
      publisher: series?.publisher ?? { name: 'unknown' },
    })
    .onConflictDoNothing();
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

    async upsertHarvested(sourceId, record: HarvestedDataset) {
      if (!isUuid(record.id)) throw new Error(`harvested dataset id ${record.id} is not a UUID`);
      return db.transaction(async (tx) => {
        const existing = await lockDataset(tx, record.id);
        if (existing && existing.sourceId !== sourceId) return 'conflict' as const;
        if (existing?.state === 'published' && existing.sourceModified === record.modified) return 'unchanged' as const;
        await ensureSeries(tx, record.metadata.seriesId, record.series, record.network);
        const at = now();
        const state: DatasetState = 'published';
        await writeVersion(
          tx,
          {
            id: record.id,
            state,
            owner: existing?.owner ?? `harvest:${sourceId}`,
            nodeId: existing?.nodeId ?? null,
            sourceId,
            sourceModified: record.modified,
            version: (existing?.version ?? 0) + 1,
            metadata: record.metadata as DatasetMetadata,
            issuedAt: existing?.issuedAt ?? at,
            modifiedAt: at,
            publishedAt: existing?.publishedAt && existing.state === 'published' ? existing.publishedAt : at,
            withdrawnAt: null,
            withdrawnReason: null,
          },
          'harvested',
          `harvest:${sourceId}`,
        );
        return existing ? ('updated' as const) : ('created' as const);
      });
    },

    async withdrawMissing(sourceId, keep, reason) {
      return db.transaction(async (tx) => {
        const conditions = [eq(catalogueDatasets.sourceId, sourceId), published];
        if (keep.length) conditions.push(notInArray(catalogueDatasets.id, keep.filter(isUuid)));
        const gone = await tx
          .select()
          .from(catalogueDatasets)
          .where(and(...conditions))
          .for('update');
        const at = now();
        for (const row of gone) {
          await writeVersion(
            tx,
            { ...row, state: 'withdrawn', version: row.version + 1, modifiedAt: at, withdrawnAt: at, withdrawnReason: reason },
            'withdrawn',
            `harvest:${sourceId}`,
          );
        }
        return gone.map((r) => r.id);
      });
    },
  };
}

/** Exported for the registry: the same shapes, read for one id in any state. */
export async function readDataset(db: Db, id: string): Promise<DatasetRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(catalogueDatasets).where(eq(catalogueDatasets.id, id));
  return row ? toRecord(row) : null;
}
