// Complete profile metadata (every optional field set) for the RDF tests and the loopback FDP
// source: a round trip that drops a field can only pass if the field is missing here too.
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import { sampleMetadata } from '../catalogue/sample.ts';

export function fullMetadata(over: Partial<DatasetMetadata> = {}): DatasetMetadata {
  return sampleMetadata({
    hdab: { name: 'Health Data Access Body of Spain', url: 'https://hdab.example/contact' },
    publisher: { name: 'Hospital Universitari', email: 'imaging@hospital.example' },
    contactPoint: { name: 'Data access desk', email: 'access@hospital.example', url: 'https://hospital.example/access' },
    healthCategory: ['EHRS', 'HGPD'],
    healthTheme: ['CANCER_DISEASE'],
    type: ['SPEC1000019', 'PseudonymisedData'],
    applicableLegislation: ['EHDS', 'GDPR'],
    hasStructuredData: true,
    variables: ['https://hospital.example/datasets/prostate/variables.json'],
    birthSex: ['COM1001366'],
    keywords: ['prostate', 'mpMRI', 'biopsy'],
    distributions: [
      {
        title: 'Request access',
        description: 'Images and clinical data, reached through the access negotiation.',
        accessUrl: 'https://negotiation.eucaim.example/requests/new',
        downloadUrl: 'https://hospital.example/download/prostate.zip',
        accessCondition: 'IN_SITU_PROCESSING',
        applicableLegislation: ['EHDS'],
        license: 'https://creativecommons.org/licenses/by-nc/4.0/',
        mediaType: 'application/dicom',
        byteSize: 123_456_789,
        checksum: { algorithm: 'sha256', value: 'a'.repeat(64) },
      },
      {
        title: 'Remote processing',
        accessUrl: 'https://hospital.example/remote',
        accessCondition: 'REMOTE_PROCESSING',
        applicableLegislation: ['EHDS', 'GDPR'],
        mediaType: 'application/dicom',
      },
    ],
    purpose: ['AI model training'],
    legalBasis: ['GDPR Art. 9(2)(j)'],
    personalData: ['health data'],
    populationCoverage: 'Men aged 40 to 85 referred for prostate MR in one Spanish hospital, 2018-2023.',
    ageRange: { min: 40, max: 85 },
    retentionPeriod: { start: '2024-01-01', end: '2034-12-31' },
    custodian: { name: 'Radiology department', email: 'radiology@hospital.example' },
    landingPage: 'https://hospital.example/datasets/prostate',
    qualityAnnotation: 'Checked by two radiologists.',
    segmentation: { labels: ['BP1000021', 'IMG1016402'], algorithmTypes: ['COM1000003'], count: 120 },
    spatialResolution: 0.0005,
    temporalResolution: 'P1D',
    secondaryIdentifiers: ['doi:10.1234/eucaim.demo'],
    ...over,
  });
}
