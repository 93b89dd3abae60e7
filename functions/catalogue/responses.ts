// What the catalogue routes answer, as schemas for the API description (the router checks each
// handler's JSON against them at compile time).
import { z } from 'zod';
import { DATASET_STATES, datasetMetadataSchema, networkSchema, seriesSchema } from '../../shared/catalogue/profile.ts';
import { BROWSE_FILTERS } from '../../shared/catalogue/registration.ts';

const iso = z.iso.datetime();
const ref = z.object({ id: z.string(), title: z.string() });

export const datasetRecordSchema = z.object({
  id: z.uuid(),
  state: z.enum(DATASET_STATES),
  metadata: datasetMetadataSchema,
  nodeId: z.string().nullable(),
  owner: z.string(),
  sourceId: z.string().nullable(),
  version: z.number().int(),
  issuedAt: iso,
  modifiedAt: iso,
  publishedAt: iso.nullable(),
  withdrawnAt: iso.nullable(),
  withdrawnReason: z.string().nullable(),
});

export const datasetViewSchema = z.object({
  id: z.uuid(),
  state: z.enum(DATASET_STATES),
  title: z.string(),
  version: z.number().int(),
  nodeId: z.string().nullable(),
  sourceId: z.string().nullable(),
  issuedAt: iso,
  modifiedAt: iso,
  publishedAt: iso.nullable(),
  withdrawnAt: iso.nullable(),
  withdrawnReason: z.string().nullable(),
  /** Null for a tombstone: a withdrawn dataset shows its title, date and reason only. */
  metadata: datasetMetadataSchema.nullable(),
  series: ref.nullable(),
  network: ref.nullable(),
  canEdit: z.boolean(),
  /** Only for those who may edit it. */
  representatives: z.array(z.string()).nullable(),
});

const facetValue = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export const browseSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      description: z.string(),
      condition: z.string(),
      tier: z.string(),
      publisher: z.string(),
      seriesId: z.string(),
      nodeId: z.string().nullable(),
      modalities: z.array(z.string()),
      bodyParts: z.array(z.string()),
      accessConditions: z.array(z.string()),
      subjects: z.number().int(),
      studies: z.number().int(),
      modifiedAt: iso,
    }),
  ),
  total: z.number().int(),
  /** True when there are more matches than `total` says (counting stops at 1000 without facets). */
  totalCapped: z.boolean(),
  facets: z.record(z.enum(BROWSE_FILTERS), z.array(facetValue)).nullable(),
  offset: z.number().int(),
  limit: z.number().int(),
});

export const myDatasetsSchema = z.object({
  datasets: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      state: z.enum(DATASET_STATES),
      nodeId: z.string().nullable(),
      version: z.number().int(),
      modifiedAt: iso,
    }),
  ),
});

export const versionsSchema = z.object({
  versions: z.array(
    z.object({
      version: z.number().int(),
      state: z.enum(DATASET_STATES),
      change: z.string(),
      changedBy: z.string(),
      changedAt: iso,
      metadata: datasetMetadataSchema,
    }),
  ),
});

export const seriesViewSchema = seriesSchema.extend({ datasets: z.number().int().describe('published datasets in it') });
export const networkViewSchema = networkSchema.extend({ series: z.array(seriesViewSchema) });
export const seriesDetailSchema = seriesViewSchema.extend({ network: ref.nullable() });

export const dashboardSchema = z.object({
  datasets: z.number().int(),
  subjects: z.number().int(),
  studies: z.number().int(),
  perDataset: z.array(z.object({ id: z.uuid(), title: z.string(), subjects: z.number().int(), studies: z.number().int() })),
  studiesPerModality: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  datasetsPerBodyPart: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
});
