// Valid profile metadata for the demo, the tests and the benchmark: one complete record that callers
// vary, so every example passes the same schema a data holder's registration does.
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';

export function sampleMetadata(over: Partial<DatasetMetadata> = {}): DatasetMetadata {
  return {
    title: 'Prostate MR, biopsy-confirmed',
    description: 'Multiparametric prostate MR studies of biopsy-confirmed patients, with clinical follow-up.',
    version: '1.0.0',
    tier: 'SPEC1000009',
    healthCategory: ['EHRS'],
    type: ['SPEC1000020'],
    accessRights: 'RESTRICTED',
    applicableLegislation: ['EHDS'],
    publisher: { name: 'Demo University Hospital', email: 'imaging@demo-hospital.example' },
    contactPoint: { email: 'data-access@demo-hospital.example' },
    subjects: 120,
    studies: 340,
    hasStructuredData: false,
    birthSex: ['COM1001366'],
    condition: 'CLIN1000075',
    collectionMethod: ['SPEC1000004'],
    modalities: ['IMG1000038'],
    manufacturers: ['IMG1000044'],
    bodyParts: ['BP1000021'],
    keywords: ['prostate', 'mpMRI'],
    provenance: 'Exported from the hospital PACS, de-identified with the EUCAIM de-identification profile.',
    distributions: [
      {
        accessUrl: 'https://negotiation.eucaim.example/requests/new',
        accessCondition: 'IN_SITU_PROCESSING',
        applicableLegislation: ['EHDS'],
      },
    ],
    seriesId: 'demo-biobank',
    ...over,
  };
}
