import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { EUCAIM_KEYS, type FilterDefinition, filterByKey } from '../shared/filter-catalogue.ts';

/**
 * Turns the free text of DICOM headers and clinical sheets into catalogue codes. The forms come from
 * the shared catalogue (`local`, plus each code and label) and from the data holder's own mapping
 * file, so the bridge holds no vocabulary table of its own.
 */
export const mappingsSchema = z.record(z.string(), z.record(z.string(), z.string()));
export type Mappings = z.infer<typeof mappingsSchema>;

/** The coded keys the index stores, in a fixed order so bit positions and ids stay stable. */
export const CODED_KEYS = {
  gender: EUCAIM_KEYS.gender,
  diagnosis: EUCAIM_KEYS.diagnosis,
  modality: EUCAIM_KEYS.modality,
  bodyPart: EUCAIM_KEYS.bodyPart,
  manufacturer: EUCAIM_KEYS.manufacturer,
} as const;

/** Lower case, accents and punctuation gone, words separated by one space: `Pelvis^Masculin` → `pelvis masculin`. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function codesOf(key: string): string[] {
  return (filterByKey(key)?.values ?? []).map((v) => v.code);
}

interface KeyVocabulary {
  /** Whole-value overrides from the mapping file; they win over everything else. */
  exact: Map<string, string>;
  /** [normalised form, code]; a form matches when it occurs as whole words in the value. */
  forms: [string, string][];
}

export class Vocabulary {
  private readonly byKey = new Map<string, KeyVocabulary>();
  private readonly cache = new Map<string, string[]>();
  /** Changes when the mappings change, so the index knows to re-derive its codes. */
  readonly fingerprint: string;

  constructor(mappings: Mappings = {}) {
    this.fingerprint = JSON.stringify(mappings);
    for (const key of Object.values(CODED_KEYS)) {
      const filter = filterByKey(key) as FilterDefinition;
      const forms: [string, string][] = [];
      for (const v of filter.values ?? []) for (const f of [v.code, v.label, ...(v.local ?? [])]) forms.push([normaliseText(f), v.code]);
      const exact = new Map(Object.entries(mappings[key] ?? {}).map(([text, code]) => [normaliseText(text), code]));
      this.byKey.set(key, { exact, forms });
    }
  }

  /** Every code the text names (a series can be "Siemens Healthineers": both Siemens codes). */
  codes(key: string, text: string): string[] {
    const cacheKey = `${key}\u0000${text}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const vocab = this.byKey.get(key);
    const value = normaliseText(text);
    let codes: string[] = [];
    if (vocab) {
      const mapped = vocab.exact.get(value);
      if (mapped !== undefined) codes = [mapped];
      else {
        const padded = ` ${value} `;
        // The empty form (unknown sex) matches only an empty value, never every value.
        for (const [form, code] of vocab.forms)
          if ((form === '' ? value === '' : padded.includes(` ${form} `)) && !codes.includes(code)) codes.push(code);
      }
    }
    this.cache.set(cacheKey, codes);
    return codes;
  }

  /** The first code only, for patient-level values that hold one code. */
  code(key: string, text: string): string | undefined {
    return this.codes(key, text)[0];
  }
}

/** Reads MAPPINGS_FILE: `{ "<filterKey>": { "<local text>": "<code>" } }`; codes must be catalogue codes. */
export async function loadMappings(path: string | undefined): Promise<Mappings> {
  if (!path) return {};
  const parsed = mappingsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: expected { "<filterKey>": { "<local text>": "<code>" } }`);
  for (const [key, map] of Object.entries(parsed.data)) {
    const known = codesOf(key);
    if (known.length === 0) throw new Error(`${path}: ${key} is not a coded filter key of the catalogue`);
    for (const [text, code] of Object.entries(map))
      if (!known.includes(code)) throw new Error(`${path}: "${text}" maps to ${code}, which is not a code of ${key}`);
  }
  return parsed.data;
}
