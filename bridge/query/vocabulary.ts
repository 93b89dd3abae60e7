import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { catalogueValue, filterByKey } from '../../shared/filter-catalogue.ts';
import { DEFAULT_KEYS, type KeySet } from './keys.ts';

/**
 * Turns the free text of DICOM headers and clinical sheets into catalogue codes. The forms come from
 * the shared catalogue (`local`, plus each code and label) and from the data holder's own mapping
 * file, so the bridge holds no vocabulary table of its own. Matching is by whole words after
 * normalising case, accents and punctuation, which is kinder to real headers than the exact match
 * of the CHAIMELEON mediator (`Pelvis^Masculin` is the pelvis, `Siemens Healthineers` is Siemens);
 * a name the catalogue does not give (Canon) maps to nothing unless the mapping file says so.
 */
export const mappingsSchema = z.record(z.string(), z.record(z.string(), z.string()));
export type Mappings = z.infer<typeof mappingsSchema>;

/** Lower case, accents and punctuation gone, words separated by one space: `Pelvis^Masculin` → `pelvis masculin`. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
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

  constructor(
    mappings: Mappings = {},
    readonly keys: KeySet = DEFAULT_KEYS,
  ) {
    this.fingerprint = JSON.stringify(mappings);
    const mapped = new Map<string, Record<string, string>>();
    for (const [key, map] of Object.entries(mappings)) mapped.set(keys.find(key)?.key ?? key, map);
    for (const k of keys.all) {
      if (k.kind !== 'code') continue;
      // A `sameAs` code names its primary: the index keeps one position for both.
      const primary = (code: string) => k.codes[keys.position(k, code) ?? -1] ?? code;
      const forms: [string, string][] = [];
      for (const v of k.filter.values ?? [])
        for (const f of [v.code, v.label, ...(v.local ?? [])]) forms.push([normaliseText(f), primary(v.code)]);
      const exact = new Map(Object.entries(mapped.get(k.key) ?? {}).map(([text, code]) => [normaliseText(text), primary(code)]));
      this.byKey.set(k.key, { exact, forms });
    }
  }

  /** Every code the text names (a series can be "Siemens Healthineers": both Siemens codes). */
  codes(key: string, text: string): string[] {
    const cacheKey = `${key}\u0000${text}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const vocab = this.byKey.get(this.keys.find(key)?.key ?? key);
    const value = normaliseText(text);
    let codes: string[] = [];
    if (vocab) {
      const mapped = vocab.exact.get(value);
      if (mapped !== undefined) codes = [mapped];
      else {
        const padded = ` ${value} `;
        // The empty form (unknown) matches only an empty value, never every value.
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

/**
 * Reads MAPPINGS_FILE: `{ "<filterKey>": { "<local text>": "<code>" } }`; keys and codes must be the
 * catalogue's (hyper-ontology ones with or without their prefix).
 */
export async function loadMappings(path: string | undefined): Promise<Mappings> {
  if (!path) return {};
  const parsed = mappingsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: expected { "<filterKey>": { "<local text>": "<code>" } }`);
  for (const [key, map] of Object.entries(parsed.data)) {
    const filter = filterByKey(key);
    if (!filter?.values?.length) throw new Error(`${path}: ${key} is not a coded filter key of the catalogue`);
    for (const [text, code] of Object.entries(map))
      if (!catalogueValue(filter, code)) throw new Error(`${path}: "${text}" maps to ${code}, which is not a code of ${key}`);
  }
  return parsed.data;
}
