import { z } from 'zod';
import { leafTypes } from './query.ts';
import raw from './filter-catalogue.json' with { type: 'json' };

/**
 * The EUCAIM search filters, from one data file that hub, bridge and web all read: labels, value
 * codes, value types and units. `local` lists the free-text forms sites write for a code (DICOM
 * Modality, BodyPartExamined words, Manufacturer fragments, clinical sheet spellings).
 */
export const filterValueSchema = z.object({ code: z.string(), label: z.string(), local: z.array(z.string()).optional() }).strict();
export const filterSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    level: z.enum(['patient', 'series']),
    valueType: z.enum(['code', 'number', 'string']),
    unit: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    operators: z.array(z.enum(leafTypes)).min(1),
    source: z.enum(['eucaim', 'hyper-ontology']),
    values: z.array(filterValueSchema).optional(),
  })
  .strict();
export const filterCatalogueSchema = z.object({ version: z.number().int(), filters: z.array(filterSchema) }).strict();
export type FilterDefinition = z.infer<typeof filterSchema>;
export type FilterCatalogue = z.infer<typeof filterCatalogueSchema>;

export const filterCatalogue: FilterCatalogue = filterCatalogueSchema.parse(raw);

const byKey = new Map(filterCatalogue.filters.map((f) => [f.key, f]));
export function filterByKey(key: string): FilterDefinition | undefined {
  return byKey.get(key);
}

/** The keys of the EUCAIM table (not the hyper-ontology extras). */
export const EUCAIM_KEYS = {
  gender: 'SNOMEDCT263495000',
  ageAtDiagnosis: 'SNOMEDCT423493009',
  diagnosis: 'SNOMEDCT439401001',
  yearOfDiagnosis: 'SNOMEDCT432213005',
  modality: 'RID10311',
  bodyPart: 'SNOMEDCT123037004',
  manufacturer: 'C25392',
} as const;
