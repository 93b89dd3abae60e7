// Valid profile metadata for the demo, the tests and the benchmark: one complete record that callers
// vary, so every example passes the same schema a data holder's registration does.
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';

export function sampleMetadata(over: Partial<DatasetMetadata> = {}): DatasetMetadata {
  return {
    title: 'Prostate MR, biopsy-confirmed',
    description: 'Multiparametric prostate MR studies of biopsy-confirmed patients, with clinical follow-up.',
    version: '1.0',
    tier: 'TIER_1',
    healthCategory: ['IMAGING'],
    type: 'ORIGINAL',
    accessRights: 'RESTRICTED',
    applicableLegislation: ['EHDS'],
    publisher: { name: 'Demo University Hospital', email: 'imaging@demo-hospital.example' },
    contactPoint: { email: 'data-access@demo-hospital.example' },
    subjects: 120,
    studies: 340,
    hasStructuredData: true,
    birthSex: ['SNOMEDCT248153007'],
    condition: 'SNOMEDCT399068003',
    collectionMethod: ['RETROSPECTIVE'],
    modalities: ['RID10312'],
    manufacturers: ['birnlex_3066'],
    bodyParts: ['SNOMEDCT41216001'],
    keywords: ['prostate', 'mpMRI'],
    provenance: 'Exported from the hospital PACS, de-identified with the EUCAIM de-identification profile.',
    distributions: [{ accessUrl: 'https://negotiation.eucaim.example/requests/new', accessCondition: 'IN_SITU_PROCESSING' }],
    seriesId: 'demo-biobank',
    ...over,
  };
}
