import { describe, expect, it } from 'vitest';
import { NO_CONFORMANCE, hasConformance, readConformance } from '../test/support/conformance.ts';
import {
  EUCAIM_KEYS,
  HYPER_ONTOLOGY_PREFIX,
  NO_VALUE_CODE,
  catalogueValue,
  filterByKey,
  filterCatalogue,
  primaryCode,
} from './filter-catalogue.ts';

interface ExplorerNode {
  key: string;
  name: string;
  fieldType?: string;
  type?: string;
  min?: number;
  criteria?: { key: string; name: string }[];
  childCategories?: ExplorerNode[];
}

/** The filters of the EUCAIM explorer's catalogue: its nodes with a field type other than "group". */
function explorerFilters(nodes: ExplorerNode[]): ExplorerNode[] {
  return nodes.flatMap((n) => [...(n.fieldType && n.fieldType !== 'group' ? [n] : []), ...explorerFilters(n.childCategories ?? [])]);
}

describe.skipIf(!hasConformance)(`the filter catalogue against the EUCAIM explorer's own ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
  describe.each(['catalogue-eucaim.json', 'catalogue-eucaim.lens-updates.json'])('%s', (file) => {
    const filters = hasConformance ? explorerFilters(readConformance<ExplorerNode[]>(`eucaim-explorer/${file}`)) : [];

    it('has every key, spelt as the explorer spells it, with its value type and operator', () => {
      expect(filters.length).toBeGreaterThan(20);
      for (const f of filters) {
        const ours = filterByKey(f.key);
        expect(ours?.key, f.key).toBe(f.key);
        expect(ours?.valueType, f.key).toBe(f.fieldType === 'number' ? 'number' : 'code');
        expect(ours?.operators, f.key).toContain(f.type);
        if (f.min !== undefined) expect(ours?.min, f.key).toBe(f.min);
      }
    });

    it('has every code of every key, spelt as the explorer spells it', () => {
      for (const f of filters)
        for (const c of f.criteria ?? [])
          expect(
            filterByKey(f.key)?.values?.some((v) => v.code === c.key),
            `${f.key} ${c.key} ${c.name}`,
          ).toBe(true);
    });
  });

  it('holds the BI-RADS and the PI-RADS assessment the explorer lists under one key, as one filter', () => {
    const both = explorerFilters(readConformance<ExplorerNode[]>('eucaim-explorer/catalogue-eucaim.json')).filter((f) =>
      f.key.endsWith('IMG1005459'),
    );
    expect(both.map((f) => f.name)).toEqual(['BI-RADS assessment', 'PI-RADS assessment']);
    const ours = filterByKey('EUCAIM_Hyper-Ontology_V1.0.IMG1005459');
    expect(ours?.values?.map((v) => v.code).sort()).toEqual(both.flatMap((f) => (f.criteria ?? []).map((c) => c.key)).sort());
  });
});

describe('the filter catalogue', () => {
  it('takes a hyper-ontology key and code in either spelling', () => {
    const er = filterByKey('CLIN1045815');
    expect(er?.key).toBe(`${HYPER_ONTOLOGY_PREFIX}CLIN1045815`);
    expect(filterByKey(`${HYPER_ONTOLOGY_PREFIX}CLIN1045815`)).toBe(er);
    expect(catalogueValue(er!, 'COM1001310')?.label).toBe('Positive');
    expect(catalogueValue(er!, `${HYPER_ONTOLOGY_PREFIX}COM1001332`)?.label).toBe('Negative');
    expect(catalogueValue(er!, 'COM9999999')).toBeUndefined();
  });

  it('gives HER2, Gleason and ISUP as code lists', () => {
    for (const [key, labels] of [
      ['CLIN1045851', ['0', '1+', '2+', '3+']],
      ['CLIN1037300', ['Grade group 1', 'Grade group 2', 'Grade group 3', 'Grade group 4', 'Grade group 5']],
    ] as const)
      expect(filterByKey(key)?.values?.map((v) => v.label)).toEqual(labels);
    expect(filterByKey('CLIN1037294')?.values).toHaveLength(9);
  });

  // The codes the CHAIMELEON/UPV mediator translates (chaimeleon-eu/dataset-service
  // dataset_service/storage/eucaim_formats.py: getGender, getDiagnosis, getBodyPart, getModality, getManufacturer).
  it.each([
    [EUCAIM_KEYS.gender, ['SNOMEDCT261665006', 'SNOMEDCT248153007', 'SNOMEDCT248152002', 'SNOMEDCT74964007']],
    [
      EUCAIM_KEYS.diagnosis,
      ['SNOMEDCT261665006', 'SNOMEDCT399068003', 'SNOMEDCT254837009', 'SNOMEDCT363358000', 'SNOMEDCT363406005', 'SNOMEDCT363351006'],
    ],
    [
      EUCAIM_KEYS.bodyPart,
      [
        'SNOMEDCT261665006',
        'SNOMEDCT41216001',
        'SNOMEDCT76752008',
        'SNOMEDCT39607008',
        'SNOMEDCT71854001',
        'SNOMEDCT818981001',
        'SNOMEDCT816092008',
        'SNOMEDCT69536005',
      ],
    ],
    [EUCAIM_KEYS.modality, ['SNOMEDCT261665006', 'RID10312', 'RID10337', 'RID10321', 'RID10334']],
    [EUCAIM_KEYS.manufacturer, ['SNOMEDCT261665006', 'C200140', 'birnlex_3066', 'birnlex_12833', 'birnlex_3065', 'birnlex_3067']],
  ])('knows every code the real mediator knows for %s', (key, codes) => {
    for (const code of codes) expect(catalogueValue(filterByKey(key)!, code), code).toBeDefined();
  });

  it('reads "unknown" as no value, and the two pelvis codes as one body part', () => {
    for (const key of [EUCAIM_KEYS.gender, EUCAIM_KEYS.modality, EUCAIM_KEYS.bodyPart, EUCAIM_KEYS.manufacturer, EUCAIM_KEYS.diagnosis])
      expect(catalogueValue(filterByKey(key)!, NO_VALUE_CODE)?.noValue, key).toBe(true);
    expect(primaryCode(filterByKey(EUCAIM_KEYS.bodyPart)!, 'SNOMEDCT816092008')).toBe('SNOMEDCT12921003');
  });

  it('names no manufacturer the vocabulary does not name: Canon is not Toshiba', () => {
    const makers = filterByKey(EUCAIM_KEYS.manufacturer)?.values ?? [];
    expect(makers.flatMap((v) => v.local ?? []).filter((l) => /canon/i.test(l))).toEqual([]);
    expect(filterCatalogue.filters.every((f) => f.group.length > 0)).toBe(true);
  });
});
