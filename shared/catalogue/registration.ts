// What a data holder sends to register or change a dataset, and the browse query: shared by the
// hub's validators and the web form, so the form's field-by-field feedback is the hub's own.
import { z } from 'zod';
import { upgradeFilterValue, upgradeMetadata } from './legacy.ts';
import { datasetMetadataSchema, seriesSchema } from './profile.ts';
import { ACCESS_CONDITIONS, BODY_PARTS, CONDITIONS, codesOf, MANUFACTURERS, MODALITIES, TIERS, type Vocabulary } from './vocabularies.ts';

/** Any UUID spelling a node may already use (not only version 4): it must match what search returns. */
export const datasetIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a UUID in lowercase hex');

// As shared/node-auth.ts's, repeated so the web form does not bundle jose.
const nodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'node ids are 2-63 lower-case letters, digits and dashes');
const subject = z.string().trim().min(1).max(200);

/** The tracer's CREATE_DATASET hashes, as `npm run bridge -- hash` prints them for the data folder. */
export const datasetHashesSchema = z
  .object({ algorithm: z.literal('sha3-256'), index: z.string().regex(/^[0-9a-f]{64}$/), contents: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();

export const registrationSchema = z
  .object({
    /** Proposed identifier (the one the node's search already answers with); minted when absent. */
    id: datasetIdSchema.optional(),
    /** The node holding the data; its admins may then edit the dataset. Required unless a platform admin registers. */
    nodeId: nodeIdSchema.optional(),
    /** OIDC subjects who answer access requests for the dataset and read its traces. */
    representatives: z.array(subject).max(50).optional(),
    datasetHashes: datasetHashesSchema.optional(),
    /** EUCAIM DCAT-AP v2.0 metadata; pre-v2.0 codes and forms are still read for one release. */
    metadata: z.preprocess((v) => upgradeMetadata(v), datasetMetadataSchema),
  })
  .strict();
export type Registration = z.infer<typeof registrationSchema>;

export const updateSchema = z
  .object({
    /** Accepted only to refuse it: an identifier can never change (409). */
    id: z.string().max(200).optional(),
    representatives: z.array(subject).max(50).optional(),
    /** Any subset of the metadata fields: the changed record is validated whole, once merged. */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type DatasetUpdate = z.infer<typeof updateSchema>;

export const withdrawSchema = z.object({ reason: z.string().trim().min(3, 'say why the dataset is withdrawn').max(2000) }).strict();

export const createSeriesSchema = seriesSchema.strict();
export const createNetworkSchema = z
  .object({ id: seriesSchema.shape.networkId, title: seriesSchema.shape.title, description: seriesSchema.shape.description })
  .strict();

const many = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).max(50)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);
/** A vocabulary filter: several values are alternatives; a pre-v2.0 code still selects its term. */
const manyCodes = (v: Vocabulary) => many(z.preprocess((x) => (typeof x === 'string' ? upgradeFilterValue(v, x) : x), z.enum(codesOf(v))));
const slug = z.string().min(1).max(100);

export const BROWSE_SORTS = [
  'relevance',
  'title',
  '-title',
  'subjects',
  '-subjects',
  'studies',
  '-studies',
  'modified',
  '-modified',
] as const;

/** `GET /api/v1/catalogue/datasets`: several values of one filter are alternatives; filters combine with AND. */
export const browseQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    condition: manyCodes(CONDITIONS).optional(),
    bodyPart: manyCodes(BODY_PARTS).optional(),
    modality: manyCodes(MODALITIES).optional(),
    manufacturer: manyCodes(MANUFACTURERS).optional(),
    publisher: many(z.string().min(1).max(300)).optional(),
    accessCondition: manyCodes(ACCESS_CONDITIONS).optional(),
    tier: manyCodes(TIERS).optional(),
    series: many(slug).optional(),
    /** `-` first sorts descending; `relevance` (the default with `q`) ranks full-text matches. */
    sort: z.enum(BROWSE_SORTS).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
    /** Counts per filter value over the matching datasets. */
    facets: z.enum(['true', 'false']).default('false'),
  })
  .strict();
export type BrowseQuery = z.infer<typeof browseQuerySchema>;

/** The browse filters, in the order the web app shows them, with the query key each uses. */
export const BROWSE_FILTERS = [
  'condition',
  'bodyPart',
  'modality',
  'manufacturer',
  'publisher',
  'accessCondition',
  'tier',
  'series',
] as const;
export type BrowseFilter = (typeof BROWSE_FILTERS)[number];
