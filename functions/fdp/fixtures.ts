// Complete profile metadata (every optional field set) for the RDF tests and the loopback FDP
// source: a round trip that drops a field can only pass if the field is missing here too.
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import { sampleMetadata } from '../catalogue/sample.ts';

export function fullMetadata(over: Partial<DatasetMetadata> = {}): DatasetMetadata {
  return sampleMetadata({
    hdab: 'Health Data Access Body of Spain',
    publisher: { name: 'Hospital Universitari', email: 'imaging@hospital.example', url: 'https://hospital.example/' },
    contactPoint: { name: 'Data access desk', email: 'access@hospital.example', url: 'https://hospital.example/access' },
    healthCategory: ['IMAGING', 'CLINICAL'],
    keywords: ['prostate', 'mpMRI', 'biopsy'],
    distributions: [
      {
        title: 'Request access',
        accessUrl: 'https://negotiation.eucaim.example/requests/new',
        accessCondition: 'IN_SITU_PROCESSING',
        license: 'https://creativecommons.org/licenses/by-nc/4.0/',
        mediaType: 'application/dicom',
        checksum: { algorithm: 'sha256', value: 'a'.repeat(64) },
      },
      {
        title: 'Remote processing',
        accessUrl: 'https://hospital.example/remote',
        accessCondition: 'REMOTE_PROCESSING',
        mediaType: 'application/dicom',
      },
    ],
    purpose: ['AI model training'],
    legalBasis: ['GDPR Art. 9(2)(j)'],
    personalData: ['health data'],
    ageRange: { min: 40, max: 85 },
    retentionPeriod: { start: '2024-01-01', end: '2034-12-31' },
    custodian: { name: 'Radiology department', email: 'radiology@hospital.example' },
    landingPage: 'https://hospital.example/datasets/prostate',
    qualityAnnotation: 'Checked by two radiologists.',
    segmentation: { labels: ['prostate', 'lesion'], method: 'manual', count: 120 },
    spatialResolution: '0.5 x 0.5 x 3 mm',
    temporalResolution: 'P1D',
    secondaryIdentifiers: ['doi:10.1234/eucaim.demo'],
    ...over,
  });
}
