import { describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import { explorerReadShape, hasConformance, NO_CONFORMANCE, readConformance } from '../../test/support/conformance.ts';
import type { SearchView } from '../search/search-view.ts';
import { HUB_PROVIDER_ICON, providerAnswer, WITHHELD_AGE_RANGE } from './provider-answer.ts';

const MOCKS = ['mock_provider_0_ProCancerI.json', 'mock_provider_1_Testprovider.json', 'mock_provider_2_CHAIMELEON.json'];

function node(result: CountResult): SearchView['nodes'][number] {
  return { nodeId: 'node-a', name: 'Node A', status: 'answered', answeredAt: null, result, error: null, unsupportedKeys: [] };
}

// A bridge's answer at its barest (no strata, ages withheld) and at its fullest (codes in every list).
const bare: CountResult = {
  collections: [{ id: 'ds-1', name: 'Small cohort', studies_count: 10, subjects_count: 10, age_range: null }],
  total: { subjects_count: 10, studies_count: 10 },
  unsupported_keys: [],
  obfuscation: { applied: true, method: 'laplace', epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 },
};
const full: CountResult = {
  collections: [
    {
      id: 'ds-2',
      name: 'Prostate MR',
      description: 'Prostate cancer, MR',
      studies_count: 40,
      subjects_count: 30,
      age_range: { min: 45, max: 74 },
      gender: ['SNOMEDCT248153007'],
      modalities: ['RID10312', 'RID10321'],
      body_parts: ['SNOMEDCT41216001', 'SNOMEDCT261665006'],
      manufacturers: ['SIEMENS'],
    },
  ],
  total: { subjects_count: 30, studies_count: 40 },
  unsupported_keys: [],
};

describe.skipIf(!hasConformance)(`provider answers as the EUCAIM explorer reads them ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
  const expected = explorerReadShape(readConformance(`eucaim-explorer/${MOCKS[0]}`));

  it.each(MOCKS)('the real-world answer %s reads as the others do', (file) => {
    expect(explorerReadShape(readConformance(`eucaim-explorer/${file}`))).toEqual(expected);
  });

  it.each([
    ['bare', bare],
    ['full', full],
  ])('the hub answers a %s count with the same fields and types', (_, result) => {
    expect(explorerReadShape(providerAnswer(node(result)))).toEqual(expected);
  });
});

describe('a provider answer', () => {
  it('shows catalogue labels, never a null where the explorer reads, and says how the counts were obfuscated', () => {
    const answer = providerAnswer(node(full));
    expect(answer.provider).toBe('Node A');
    expect(answer.provider_icon).toBe(HUB_PROVIDER_ICON);
    expect(answer.collections[0]).toMatchObject({
      gender: ['Male'],
      modalities: ['MR', 'CT'],
      body_parts: ['Prostate', 'Unknown'],
      manufacturers: ['SIEMENS'],
      age_range: { min: 45, max: 74 },
    });
    const withheld = providerAnswer(node(bare));
    expect(withheld.collections[0]?.age_range).toEqual(WITHHELD_AGE_RANGE);
    expect(WITHHELD_AGE_RANGE).toEqual({ min: 0, max: 130 });
    expect(withheld.obfuscation_note).toBe(
      'Obfuscated counts: Laplace noise (epsilon 0.28, sensitivity 1); rounded to steps of 10; counts 1-9 reported as 10, zeros kept.',
    );
  });

  it('is a PNG icon, as Focus always sends one', () => {
    const bytes = Uint8Array.from(atob(HUB_PROVIDER_ICON), (ch) => ch.charCodeAt(0));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
