import { sql } from 'drizzle-orm';
import { customType, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { DatasetMetadata, DatasetSeries, DatasetState } from '../../shared/catalogue/profile.ts';
import { DATASET_STATES } from '../../shared/catalogue/profile.ts';
import { createdAt, tstz } from '../db/columns.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** A network of imaging biobanks: the top of the hierarchy. */
export const catalogueNetworks = pgTable('catalogue_networks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  /** The harvest source that described it first; its later runs keep it as the source describes it. */
  sourceId: text('source_id'),
  createdAt: createdAt(),
  modifiedAt: tstz('modified_at').notNull().defaultNow(),
});

/** `dcat:DatasetSeries`, the seed's "imaging biobank"; every dataset belongs to one. */
export const catalogueSeries = pgTable(
  'catalogue_series',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id')
      .notNull()
      .references(() => catalogueNetworks.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    publisher: jsonb('publisher').$type<DatasetSeries['publisher']>().notNull(),
    /** The harvest source that described it first; its later runs keep it as the source describes it. */
    sourceId: text('source_id'),
    createdAt: createdAt(),
    modifiedAt: tstz('modified_at').notNull().defaultNow(),
  },
  (t) => [index('catalogue_series_network').on(t.networkId)],
);

/**
 * One dataset: the profile's metadata as JSONB (the record of truth) plus copies of the fields that
 * browsing filters, sorts and counts on, so those run on indexes and never parse JSON.
 */
export const catalogueDatasets = pgTable(
  'catalogue_datasets',
  {
    id: uuid('id').primaryKey(),
    state: text('state', { enum: DATASET_STATES }).$type<DatasetState>().notNull(),
    owner: text('owner').notNull(),
    nodeId: text('node_id'),
    sourceId: text('source_id'),
    /** The dataset's IRI in its harvest source (found again by it when the source gives no UUID). */
    sourceIri: text('source_iri'),
    /** The source's own `dct:identifier`, kept as it wrote it. */
    sourceIdentifier: text('source_identifier'),
    /** `dct:issued` of the harvest source: the record keeps the source's dates. */
    sourceIssued: text('source_issued'),
    /** `dct:modified` of the harvest source, for incremental harvests. */
    sourceModified: text('source_modified'),
    version: integer('version').notNull(),
    metadata: jsonb('metadata').$type<DatasetMetadata>().notNull(),
    seriesId: text('series_id')
      .notNull()
      .references(() => catalogueSeries.id),
    title: text('title').notNull(),
    condition: text('condition').notNull(),
    tier: text('tier').notNull(),
    publisher: text('publisher').notNull(),
    modalities: text('modalities').array().notNull(),
    bodyParts: text('body_parts').array().notNull(),
    manufacturers: text('manufacturers').array().notNull(),
    accessConditions: text('access_conditions').array().notNull(),
    subjects: integer('subjects').notNull(),
    studies: integer('studies').notNull(),
    /** Title first, then keywords and publisher, then description: the order full-text ranking weighs. */
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', coalesce("metadata"->'keywords', '[]'::jsonb)), 'B') || setweight(to_tsvector('english', "publisher"), 'B') || setweight(to_tsvector('english', coalesce("metadata"->>'description', '')), 'C')`,
    ),
    issuedAt: tstz('issued_at').notNull().defaultNow(),
    modifiedAt: tstz('modified_at').notNull().defaultNow(),
    publishedAt: tstz('published_at'),
    withdrawnAt: tstz('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
  },
  (t) => [
    index('catalogue_datasets_search').using('gin', t.search),
    index('catalogue_datasets_modalities').using('gin', t.modalities),
    index('catalogue_datasets_body_parts').using('gin', t.bodyParts),
    index('catalogue_datasets_manufacturers').using('gin', t.manufacturers),
    index('catalogue_datasets_access').using('gin', t.accessConditions),
    index('catalogue_datasets_state_condition').on(t.state, t.condition),
    index('catalogue_datasets_state_tier').on(t.state, t.tier),
    index('catalogue_datasets_state_publisher').on(t.state, t.publisher),
    index('catalogue_datasets_series').on(t.seriesId, t.state),
    index('catalogue_datasets_state_title').on(t.state, t.title, t.id),
    index('catalogue_datasets_state_modified').on(t.state, t.modifiedAt, t.id),
    index('catalogue_datasets_state_subjects').on(t.state, t.subjects, t.id),
    index('catalogue_datasets_state_studies').on(t.state, t.studies, t.id),
    index('catalogue_datasets_node').on(t.nodeId),
    index('catalogue_datasets_source').on(t.sourceId, t.state),
    index('catalogue_datasets_source_iri').on(t.sourceId, t.sourceIri),
    index('catalogue_datasets_owner').on(t.owner),
  ],
);

/** Every version of every dataset, the current one included: a change never loses what was there. */
export const catalogueDatasetVersions = pgTable(
  'catalogue_dataset_versions',
  {
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => catalogueDatasets.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    state: text('state', { enum: DATASET_STATES }).$type<DatasetState>().notNull(),
    metadata: jsonb('metadata').$type<DatasetMetadata>().notNull(),
    /** What made this version: registered, updated, published, withdrawn, harvested. */
    change: text('change').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: tstz('changed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.version] })],
);
