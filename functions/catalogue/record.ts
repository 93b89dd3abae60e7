// Between the catalogue's rows and the profile's records: which metadata fields become indexed
// columns, and how a row reads back as a DatasetRecord.
import type { DatasetMetadata, DatasetRecord } from '../../shared/catalogue/profile.ts';
import type { Database } from '../db/client.ts';
import type { catalogueDatasets } from './catalogue.sql.ts';

export type DatasetRow = typeof catalogueDatasets.$inferSelect;
/** A database or a transaction on it: the store's functions run in either. */
export type Db = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Postgres refuses a malformed uuid with an error; asking for one must answer "none" instead. */
export const isUuid = (id: string) => UUID.test(id);

/** The copies of metadata fields that browsing filters, sorts and counts on. */
export function indexedColumns(m: DatasetMetadata) {
  return {
    seriesId: m.seriesId,
    title: m.title,
    condition: m.condition,
    tier: m.tier,
    publisher: m.publisher.name,
    modalities: m.modalities,
    bodyParts: m.bodyParts,
    manufacturers: m.manufacturers,
    accessConditions: [...new Set(m.distributions.map((d) => d.accessCondition))],
    subjects: m.subjects,
    studies: m.studies,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRecord(row: DatasetRow): DatasetRecord {
  return {
    id: row.id,
    state: row.state,
    metadata: row.metadata,
    nodeId: row.nodeId,
    owner: row.owner,
    sourceId: row.sourceId,
    source: row.sourceIri
      ? { iri: row.sourceIri, identifier: row.sourceIdentifier, issued: row.sourceIssued, modified: row.sourceModified }
      : null,
    version: row.version,
    issuedAt: row.issuedAt.toISOString(),
    modifiedAt: row.modifiedAt.toISOString(),
    publishedAt: iso(row.publishedAt),
    withdrawnAt: iso(row.withdrawnAt),
    withdrawnReason: row.withdrawnReason,
  };
}
