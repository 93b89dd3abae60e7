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
  /**
   * The UUID the source gives the dataset (in its `dct:identifier` or its IRI). Absent: the catalogue
   * finds the dataset again by its source IRI, or mints a UUID the first time it meets it.
   */
  id?: string;
  /** The dataset's IRI in the source: the record links back to it. Required when `id` is absent. */
  sourceIri?: string;
  /** The source's own `dct:identifier`, kept as written. */
  sourceIdentifier?: string;
  /** `dct:issued` in the source (else its `fdp:metadataIssued`). */
  issued?: string;
  /** `dct:modified` in the source (else its `fdp:metadataModified`): an unchanged value skips the record. */
  modified: string;
  metadata: DatasetMetadata;
  /** The series as the source describes it: created when missing, kept up to date when this source created it. */
  series?: DatasetSeries;
  /** The series' network as the source describes it, likewise. */
  network?: Network;
}

/**
 * The harvest source writing: its id, whether it publishes directly, and the node whose admins
 * review its drafts. A bare id is a trusted source of no node (what seeding scripts and tests use).
 */
export interface HarvestSourceRef {
  id: string;
  trusted: boolean;
  nodeId: string | null;
}

export type HarvestOutcome = 'created' | 'updated' | 'unchanged' | 'conflict';

export interface CatalogueWriter {
  /**
   * Creates or updates (keeping the previous version) a dataset from a harvest source: published
   * when the source is trusted, else a new dataset is a draft for the source's node admins. A
   * dataset registered through the API or by another source with the same id is not overwritten.
   */
  upsertHarvested(source: HarvestSourceRef | string, record: HarvestedDataset): Promise<{ outcome: HarvestOutcome; id: string }>;
  /**
   * Withdraws (with the reason) every published or draft dataset of the source the source no longer
   * lists: neither its id nor its source IRI is kept. Answers their ids.
   */
  withdrawMissing(
    sourceId: string,
    keep: { ids: readonly string[]; iris: readonly string[] } | readonly string[],
    reason: string,
  ): Promise<string[]>;
}
