// What the FAIR Data Point, the PID resolver and the harvester need from the catalogue's storage.
// The catalogue module implements it over its tables (`createCatalogueStore`); the RDF side only
// reads and writes through it, so registration through the API and harvesting end in the same records.
import type { DatasetMetadata, DatasetRecord, DatasetSeries, Network } from '../../shared/catalogue/profile.ts';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface CatalogueReader {
  /** Published datasets only, ordered by id; drafts and withdrawn datasets never appear. */
  publishedDatasets(page: { offset: number; limit: number }): Promise<Page<DatasetRecord>>;
  /** Any state (the caller decides what to show: published record, 410 tombstone, nothing for drafts). */
  dataset(id: string): Promise<DatasetRecord | null>;
  /** Every series with at least one published dataset, and every network above them. */
  series(): Promise<DatasetSeries[]>;
  networks(): Promise<Network[]>;
  /** Newest modification of any published record: the repository's and catalog's `fdp:metadataModified`. */
  lastModified(): Promise<string | null>;
}

export interface HarvestedDataset {
  /** The dataset's identifier in the source; must be a UUID (the catalogue keeps it as the dataset id). */
  id: string;
  metadata: DatasetMetadata;
  /** `dct:modified` in the source: an unchanged value skips the record (incremental harvest). */
  modified: string;
  /** The series to create when missing (harvesters meet series before the catalogue knows them). */
  series?: DatasetSeries;
  /** The series' network as the source describes it, created when missing with its title and description. */
  network?: Network;
}

export interface CatalogueWriter {
  /**
   * Creates or updates (keeping the previous version) a dataset from a harvest source, published.
   * A dataset registered through the API or by another source with the same id is not overwritten:
   * answers 'conflict'.
   */
  upsertHarvested(sourceId: string, record: HarvestedDataset): Promise<'created' | 'updated' | 'unchanged' | 'conflict'>;
  /** Withdraws (with the reason) every published dataset of the source whose id is not in `keep`; answers their ids. */
  withdrawMissing(sourceId: string, keep: readonly string[], reason: string): Promise<string[]>;
}
