import { describe, expect, it } from 'vitest';
import { EUCAIM_KEYS, filterByKey } from '../filter-catalogue.ts';
import { HYPER_ONTOLOGY, HYPER_ONTOLOGY_CODE, HYPER_ONTOLOGY_TABLE, type HyperOntologyKey } from './hyper-ontology.ts';
import { VOCABULARIES, currentCode } from './vocabularies.ts';

/** The search filter each catalogue property shares its concepts with (the one table's join). */
const SEARCH_KEY: Partial<Record<HyperOntologyKey, string>> = {
  condition: EUCAIM_KEYS.diagnosis,
  modality: EUCAIM_KEYS.modality,
  bodyPart: EUCAIM_KEYS.bodyPart,
  manufacturer: EUCAIM_KEYS.manufacturer,
  birthSex: EUCAIM_KEYS.gender,
};

describe('the catalogue vocabularies', () => {
  it.each(Object.entries(VOCABULARIES))('%s has unique codes and IRIs', (_name, { terms }) => {
    expect(new Set(terms.map((t) => t.code)).size).toBe(terms.length);
    expect(new Set(terms.map((t) => t.iri)).size).toBe(terms.length);
    for (const t of terms) expect(t.iri).toMatch(/^https?:\/\/\S+$/);
  });

  it('writes every hyper-ontology code as the ontology IRI', () => {
    for (const r of HYPER_ONTOLOGY_TABLE) expect(r.code).toMatch(HYPER_ONTOLOGY_CODE);
    expect(VOCABULARIES.condition.terms.find((t) => t.code === 'CLIN1000075')?.iri).toBe(`${HYPER_ONTOLOGY}CLIN1000075`);
  });

  it('has no IMAGING health category (the EHDS list has none): the old code reads as EHR data', () => {
    expect(VOCABULARIES['health-category'].terms.some((t) => t.code === 'IMAGING')).toBe(false);
    expect(currentCode(VOCABULARIES['health-category'].terms, 'IMAGING')).toBe('EHRS');
  });

  it.each(Object.entries(SEARCH_KEY))('shares %s concepts with the search filter catalogue on the search code', (key, searchKey) => {
    const searchCodes = new Set(filterByKey(searchKey as string)?.values?.map((v) => v.code));
    const rows = HYPER_ONTOLOGY_TABLE.filter((r) => r.key === key && r.searchCode);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(searchCodes, `${r.code} ${r.searchCode}`).toContain(r.searchCode);
  });

  it('reads every pre-v2.0 code of the search catalogue as one current term', () => {
    for (const [key, searchKey] of Object.entries(SEARCH_KEY)) {
      const terms = HYPER_ONTOLOGY_TABLE.filter((r) => r.key === key);
      for (const v of filterByKey(searchKey as string)?.values ?? []) {
        const hit = terms.filter((t) => t.legacy?.includes(v.code));
        expect(hit.length, `${key} ${v.code}`).toBeLessThanOrEqual(1);
      }
    }
  });
});
