// The harvester's door into the catalogue: harvested datasets become versions like any other change
// (writeVersion), keep their source's identifier, IRI and dates, go to their node's admins as drafts
// unless the source is trusted, and are withdrawn only when their source no longer lists them.
import { and, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { DatasetSeries, DatasetState, Network } from '../../shared/catalogue/profile.ts';
import type { Database } from '../db/client.ts';
import { catalogueDatasets, catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import type { CatalogueWriter, HarvestedDataset } from './contract.ts';
import { type DatasetRow, type Db, isUuid } from './record.ts';
import { lockDataset, writeVersion } from './store.ts';

const PLACEHOLDER = 'Created when a harvest met it first.';

/**
 * Creates a missing series and network as the source describes them (placeholders where it says
 * nothing), and keeps those this source created as it describes them on later runs; series and
 * networks created by an admin or another source are left as they are.
 */
export async function ensureSeries(tx: Db, sourceId: string, seriesId: string, series?: DatasetSeries, network?: Network): Promise<void> {
  const networkId = series?.networkId ?? network?.id ?? 'unassigned';
  const described = network?.id === networkId ? network : undefined;
  const netValues = {
    title: described?.title ?? (networkId === 'unassigned' ? 'Not yet in a network' : networkId),
    description: described?.description ?? PLACEHOLDER,
  };
  await tx
    .insert(catalogueNetworks)
    .values({ id: networkId, ...netValues, sourceId })
    .onConflictDoUpdate({
      target: catalogueNetworks.id,
      set: described ? { ...netValues, modifiedAt: new Date() } : { sourceId: catalogueNetworks.sourceId },
      setWhere: eq(catalogueNetworks.sourceId, sourceId),
    });
  const values = {
    networkId,
    title: series?.title ?? seriesId,
    description: series?.description ?? PLACEHOLDER,
    publisher: series?.publisher ?? { name: 'unknown' },
  };
  await tx
    .insert(catalogueSeries)
    .values({ id: seriesId, ...values, sourceId })
    .onConflictDoUpdate({
      target: catalogueSeries.id,
      set: series ? { ...values, modifiedAt: new Date() } : { sourceId: catalogueSeries.sourceId },
      setWhere: eq(catalogueSeries.sourceId, sourceId),
    });
}

/** The dataset a harvested record is: by the UUID the source gives, else by its IRI in this source. */
async function existingFor(tx: Db, sourceId: string, record: HarvestedDataset): Promise<DatasetRow | undefined> {
  if (record.id) return lockDataset(tx, record.id);
  if (!record.sourceIri) throw new Error('a harvested dataset needs an id or its source IRI');
  const [row] = await tx
    .select()
    .from(catalogueDatasets)
    .where(and(eq(catalogueDatasets.sourceId, sourceId), eq(catalogueDatasets.sourceIri, record.sourceIri as string)))
    .for('update');
  return row;
}

export function harvestWriter(db: Database, now: () => Date): CatalogueWriter {
  return {
    async upsertHarvested(sourceRef, record) {
      const source = typeof sourceRef === 'string' ? { id: sourceRef, trusted: true, nodeId: null } : sourceRef;
      if (record.id && !isUuid(record.id)) throw new Error(`harvested dataset id ${record.id} is not a UUID`);
      return db.transaction(async (tx) => {
        const existing = await existingFor(tx, source.id, record);
        const id = existing?.id ?? record.id ?? crypto.randomUUID();
        if (existing && existing.sourceId !== source.id) return { outcome: 'conflict' as const, id };
        if (existing && existing.state !== 'withdrawn' && existing.sourceModified === record.modified) {
          return { outcome: 'unchanged' as const, id };
        }
        await ensureSeries(tx, source.id, record.metadata.seriesId, record.series, record.network);
        const at = now();
        // New (or relisted after a withdrawal): published from a trusted source, else a draft to review.
        const state: DatasetState = existing && existing.state !== 'withdrawn' ? existing.state : source.trusted ? 'published' : 'draft';
        await writeVersion(
          tx,
          {
            id,
            state,
            owner: existing?.owner ?? `harvest:${source.id}`,
            nodeId: existing?.nodeId ?? source.nodeId,
            sourceId: source.id,
            sourceIri: record.sourceIri ?? null,
            sourceIdentifier: record.sourceIdentifier ?? null,
            sourceIssued: record.issued ?? null,
            sourceModified: record.modified,
            version: (existing?.version ?? 0) + 1,
            metadata: record.metadata,
            issuedAt: existing?.issuedAt ?? at,
            modifiedAt: at,
            publishedAt: state === 'published' ? (existing?.publishedAt ?? at) : (existing?.publishedAt ?? null),
            withdrawnAt: null,
            withdrawnReason: null,
          },
          'harvested',
          `harvest:${source.id}`,
        );
        return { outcome: existing ? ('updated' as const) : ('created' as const), id };
      });
    },

    async withdrawMissing(sourceId, kept, reason) {
      const keep = Array.isArray(kept)
        ? { ids: kept as readonly string[], iris: [] }
        : (kept as { ids: readonly string[]; iris: readonly string[] });
      return db.transaction(async (tx) => {
        const ids = keep.ids.filter(isUuid);
        // Neither its id nor its source IRI listed (rows harvested before source IRIs were kept have none).
        const notListed = and(
          ids.length ? notInArray(catalogueDatasets.id, ids) : undefined,
          keep.iris.length ? or(isNull(catalogueDatasets.sourceIri), notInArray(catalogueDatasets.sourceIri, [...keep.iris])) : undefined,
        );
        const gone = await tx
          .select()
          .from(catalogueDatasets)
          .where(and(eq(catalogueDatasets.sourceId, sourceId), inArray(catalogueDatasets.state, ['published', 'draft']), notListed))
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
