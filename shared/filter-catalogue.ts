import { z } from 'zod';
import { leafTypes } from './query.ts';
import raw from './filter-catalogue.json' with { type: 'json' };

/**
 * The EUCAIM search filters, from one data file that hub, bridge and web all read: keys and codes as
 * the EUCAIM explorer's own catalogue spells them (samply/eucaim-frontend
 * `static/catalogues/catalogue-eucaim.json`), labels, value types and units, plus what the real
 * CHAIMELEON/UPV mediator also knows (chaimeleon-eu/dataset-service `storage/eucaim_formats.py`:
 * rectum cancer, the abdomen, head and second pelvis body-part codes, "unknown" as "no value").
 * `local` lists the free-text forms sites write for a code (DICOM Modality, BodyPartExamined words,
 * Manufacturer fragments, clinical sheet spellings). `sameAs` makes a code another name of one
 * listed before it; `noValue` marks the code that means "the record has no value" (SNOMED CT
 * 261665006, unknown).
 */
export const filterValueSchema = z
  .object({
    code: z.string(),
    label: z.string(),
    local: z.array(z.string()).optional(),
    sameAs: z.string().optional(),
    noValue: z.literal(true).optional(),
  })
  .strict();
export const filterSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    /** The explorer's panel for the filter. */
    group: z.string(),
    level: z.enum(['patient', 'series']),
    valueType: z.enum(['code', 'number', 'string']),
    unit: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    operators: z.array(z.enum(leafTypes)).min(1),
    source: z.enum(['eucaim', 'hyper-ontology']),
    note: z.string().optional(),
    values: z.array(filterValueSchema).optional(),
  })
  .strict();
export const filterCatalogueSchema = z
  .object({ version: z.number().int(), hyperOntologyPrefix: z.string().min(1), filters: z.array(filterSchema) })
  .strict()
  .superRefine((c, ctx) => {
    // The one source must stay unambiguous: each key and each code (per key) once, in either spelling.
    const keys = new Set<string>();
    for (const [i, f] of c.filters.entries()) {
      const k = bareOf(f.key, c.hyperOntologyPrefix);
      if (keys.has(k)) ctx.addIssue({ code: 'custom', path: ['filters', i, 'key'], message: `key ${f.key} twice` });
      keys.add(k);
      const codes = new Set<string>();
      for (const [j, v] of (f.values ?? []).entries()) {
        const code = bareOf(v.code, c.hyperOntologyPrefix);
        if (codes.has(code)) ctx.addIssue({ code: 'custom', path: ['filters', i, 'values', j], message: `code ${v.code} twice` });
        if (v.sameAs !== undefined && !codes.has(bareOf(v.sameAs, c.hyperOntologyPrefix)))
          ctx.addIssue({ code: 'custom', path: ['filters', i, 'values', j, 'sameAs'], message: `${v.sameAs} is not listed before it` });
        codes.add(code);
      }
    }
  });
export type FilterValue = z.infer<typeof filterValueSchema>;
export type FilterDefinition = z.infer<typeof filterSchema>;
export type FilterCatalogue = z.infer<typeof filterCatalogueSchema>;

function bareOf(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

export const filterCatalogue: FilterCatalogue = filterCatalogueSchema.parse(raw);

/** `EUCAIM_Hyper-Ontology_V1.0.`: the real explorer writes hyper-ontology keys and codes with it, others without. */
export const HYPER_ONTOLOGY_PREFIX = filterCatalogue.hyperOntologyPrefix;
const bare = (name: string) => bareOf(name, HYPER_ONTOLOGY_PREFIX);

/** SNOMED CT "unknown": for gender, modality, body part, manufacturer and diagnosis it means "no value". */
export const NO_VALUE_CODE = 'SNOMEDCT261665006';

const byKey = new Map(filterCatalogue.filters.map((f) => [bare(f.key), f]));
const codesByKey = new Map(filterCatalogue.filters.map((f) => [f.key, new Map((f.values ?? []).map((v) => [bare(v.code), v]))]));

/** The filter of a key in either spelling (with or without the hyper-ontology prefix). */
export function filterByKey(key: string): FilterDefinition | undefined {
  return byKey.get(bare(key));
}

/** The catalogue's entry for a value of a filter, in either spelling; undefined for a code it does not list. */
export function catalogueValue(filter: FilterDefinition, code: unknown): FilterValue | undefined {
  return typeof code === 'string' ? codesByKey.get(filter.key)?.get(bare(code)) : undefined;
}

/** The code a value stands for: its `sameAs` code, else itself, in the catalogue's spelling. */
export function primaryCode(filter: FilterDefinition, code: unknown): string | undefined {
  const v = catalogueValue(filter, code);
  return v ? (v.sameAs ?? v.code) : undefined;
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
