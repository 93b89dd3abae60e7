import { describe, expect, it } from 'vitest';
import { legacyMetadata } from '../../test/support/legacy-records.ts';
import { metresFromText, upgradeMetadata } from './legacy.ts';
import { datasetMetadataSchema } from './profile.ts';
import { browseQuerySchema, registrationSchema } from './registration.ts';

describe('reading pre-v2.0 metadata (one release)', () => {
  it('upgrades a stored pre-v2.0 record to a valid EUCAIM DCAT-AP v2.0 one', () => {
    const upgraded = upgradeMetadata(legacyMetadata()) as Record<string, unknown>;
    const parsed = datasetMetadataSchema.safeParse(upgraded);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(upgraded).toMatchObject({
      tier: 'SPEC1000009',
      type: ['SPEC1000020'],
      healthCategory: ['EHRS'],
      condition: 'CLIN1000075',
      collectionMethod: ['SPEC1000004'],
      modalities: ['IMG1000038', 'IMG1000042'],
      manufacturers: ['IMG1000044'],
      bodyParts: ['BP1000021'],
      birthSex: ['COM1001366'],
      publisher: { name: 'Demo University Hospital', email: 'data-access@demo-hospital.example' },
      spatialResolution: 0.0005,
      keywords: ['prostate', 'mpMRI', 'lesion'],
      provenance: 'Exported from the hospital PACS. Segmentation method: manual.',
      segmentation: { count: 120 },
    });
    expect(upgraded).not.toHaveProperty('hdab');
    expect(upgraded).not.toHaveProperty('temporalResolution');
    expect((upgraded.distributions as { applicableLegislation: string[] }[])[0]?.applicableLegislation).toEqual(['EHDS']);
  });

  it('leaves current metadata as it is', () => {
    const current = upgradeMetadata(legacyMetadata()) as Record<string, unknown>;
    expect(upgradeMetadata(current)).toEqual(current);
  });

  it('keeps a code it does not know, so the 422 names it', () => {
    const parsed = registrationSchema.safeParse({ metadata: legacyMetadata({ condition: 'SNOMEDCT000' }) });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['metadata.condition']);
  });

  it('accepts old codes in browse filters', () => {
    const q = browseQuerySchema.parse({ condition: 'SNOMEDCT399068003', modality: ['RID10312', 'IMG1000042'], tier: 'TIER_1' });
    expect(q).toMatchObject({ condition: ['CLIN1000075'], modality: ['IMG1000038', 'IMG1000042'], tier: ['SPEC1000009'] });
  });

  it.each([
    ['0.5 x 0.5 x 3 mm', 0.0005],
    ['1 cm', 0.01],
    ['0.8mm isotropic', 0.0008],
    ['no number', undefined],
  ])('reads the spatial resolution %s as %s metres', (text, metres) => {
    expect(metresFromText(text)).toBe(metres);
  });
});
