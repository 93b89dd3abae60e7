// The EUCAIM hyper-ontology terms the catalogue uses, as one table: the profile (EUCAIM DCAT-AP v2.0)
// asks for subclasses of a hyper-ontology class for tier, dataset type, collection method,
// condition, modality, manufacturer, body part and sex at birth. Codes and labels are the
// ontology's (EUCAIM's Hyper-Ontology v2.0, `https://cancerimage.eu/ontology/EUCAIM#`, as the
// EUCAIM ETL toolset publishes it); `searchCode` is the code the search filter catalogue gives the
// same concept (the SNOMED CT, RadLex and BIRNLex codes of the EUCAIM explorer), so catalogue facets
// and search filters can be joined on it. Rows without a search code exist only in the catalogue.

export const HYPER_ONTOLOGY = 'https://cancerimage.eu/ontology/EUCAIM#';

/** The profile properties whose values come from the hyper-ontology, with the class their values specialise. */
export const HYPER_ONTOLOGY_KEYS = {
  tier: 'SPEC1000008',
  datasetType: 'SPEC1000017',
  collectionMethod: 'SPEC1000002',
  condition: 'CLIN1007977',
  modality: 'IMG1000009',
  manufacturer: 'IMG1000010',
  bodyPart: 'BP1000024',
  birthSex: 'COM1001396',
  segmentationMethod: 'COM1001204',
} as const;
export type HyperOntologyKey = keyof typeof HYPER_ONTOLOGY_KEYS;

export interface HyperOntologyRow {
  key: HyperOntologyKey;
  code: string;
  label: string;
  /** The search filter catalogue's code for the same concept. */
  searchCode?: string;
  /** Codes the catalogue API used before EUCAIM DCAT-AP v2.0 (read for one release, migrated). */
  legacy?: readonly string[];
}

const row = (key: HyperOntologyKey, code: string, label: string, searchCode?: string, legacy?: readonly string[]): HyperOntologyRow => ({
  key,
  code,
  label,
  ...(searchCode ? { searchCode } : {}),
  legacy: [...(searchCode ? [searchCode] : []), ...(legacy ?? [])],
});

export const HYPER_ONTOLOGY_TABLE: readonly HyperOntologyRow[] = [
  // Interoperability tiers: the subclasses of SPEC1000008 (Tier 1, 2, 3) and theirs (A+ and C+).
  row('tier', 'SPEC1000009', 'Tier 1', undefined, ['TIER_1']),
  row('tier', 'SPEC1000012', 'Tier 1A+'),
  row('tier', 'SPEC10000011', 'Tier 1C+'),
  row('tier', 'SPEC1000011', 'Tier 2', undefined, ['TIER_2']),
  row('tier', 'SPEC1000014', 'Tier 2A+'),
  row('tier', 'SPEC1000013', 'Tier 2C+'),
  row('tier', 'SPEC1000010', 'Tier 3', undefined, ['TIER_3']),
  row('tier', 'SPEC1000016', 'Tier 3A+', undefined, ['TIER_3A_PLUS']),
  row('tier', 'SPEC1000015', 'Tier 3C+'),
  // Dataset types (SPEC1000017).
  row('datasetType', 'SPEC1000020', 'Original dataset', undefined, ['ORIGINAL']),
  row('datasetType', 'SPEC1000019', 'Annotated dataset', undefined, ['ANNOTATED']),
  row('datasetType', 'SPEC1000018', 'Processed dataset', undefined, ['PROCESSED']),
  // Collection methods (SPEC1000002). The codes before v2.0 were not the ontology's: the migration
  // maps each to its nearest ontology term (see shared/catalogue/legacy.ts).
  row('collectionMethod', 'SPEC1000003', 'Only-image'),
  row('collectionMethod', 'SPEC1000004', 'Patient-based', undefined, ['RETROSPECTIVE', 'ROUTINE_CARE']),
  row('collectionMethod', 'SPEC1000005', 'Case-control'),
  row('collectionMethod', 'SPEC1000006', 'Longitudinal', undefined, ['PROSPECTIVE']),
  row('collectionMethod', 'SPEC1000007', 'Disease-specific', undefined, ['CLINICAL_TRIAL']),
  // Cancer conditions (subclasses of CLIN1007977, malignant neoplastic disease).
  row('condition', 'CLIN1000075', 'Malignant neoplasm of prostate', 'SNOMEDCT399068003'),
  row('condition', 'CLIN1000060', 'Malignant neoplasm of breast', 'SNOMEDCT254837009'),
  row('condition', 'CLIN1000065', 'Malignant tumor of lung', 'SNOMEDCT363358000'),
  row('condition', 'CLIN1000057', 'Malignant neoplasm of colon', 'SNOMEDCT363406005'),
  row('condition', 'CLIN1000087', 'Malignant tumor of pelvis', 'SNOMEDCT363484005'),
  row('condition', 'CLIN1000077', 'Malignant neoplasm of rectum'),
  row('condition', 'CLIN1000054', 'Malignant neoplasm of colon and/or rectum'),
  row('condition', 'CLIN1000071', 'Malignant neoplasm of liver'),
  // Imaging modalities (IMG1000009).
  row('modality', 'IMG1000038', 'Magnetic resonance imaging', 'RID10312'),
  row('modality', 'IMG1000042', 'Computed tomography', 'RID10321'),
  row('modality', 'IMG1000062', 'Positron emission tomography', 'RID10337'),
  row('modality', 'IMG1000061', 'Single photon emission computed tomography', 'RID10334'),
  row('modality', 'IMG1000040', 'Ultrasound'),
  row('modality', 'IMG1000030', 'Mammography'),
  // Equipment manufacturers (IMG1000010), as DICOM (0008,0070) names them.
  row('manufacturer', 'IMG1000044', 'Siemens', 'birnlex_3066', ['C200140']),
  row('manufacturer', 'IMG1000047', 'General Electric', 'birnlex_12833'),
  row('manufacturer', 'IMG1000046', 'Philips', 'birnlex_3065'),
  row('manufacturer', 'IMG1000045', 'Toshiba', 'birnlex_3067'),
  row('manufacturer', 'IMG1000050', 'Canon'),
  row('manufacturer', 'IMG1000057', 'Hitachi'),
  row('manufacturer', 'IMG1000060', 'Fujifilm'),
  row('manufacturer', 'IMG1000051', 'Agfa'),
  row('manufacturer', 'IMG1000049', 'Esaote'),
  row('manufacturer', 'IMG1000064', 'Hologic'),
  row('manufacturer', 'IMG1000063', 'United Imaging Healthcare'),
  // Body structures (BP1000024).
  row('bodyPart', 'BP1000021', 'Prostate', 'SNOMEDCT41216001'),
  row('bodyPart', 'BP1000136', 'Breast structure', 'SNOMEDCT76752008'),
  row('bodyPart', 'BP1000113', 'Lung structure', 'SNOMEDCT39607008'),
  row('bodyPart', 'BP1000257', 'Colon structure', 'SNOMEDCT71854001'),
  row('bodyPart', 'BP1000092', 'Pelvis', 'SNOMEDCT12921003'),
  row('bodyPart', 'BP1000130', 'Rectum structure'),
  row('bodyPart', 'BP1000105', 'Liver structure'),
  row('bodyPart', 'BP1000051', 'Brain'),
  row('bodyPart', 'BP1000067', 'Chest'),
  row('bodyPart', 'BP1000173', 'Abdomen'),
  // Sex assigned at birth (COM1001396): the ontology has male and female only.
  row('birthSex', 'COM1001366', 'Male', 'SNOMEDCT248153007'),
  row('birthSex', 'COM1001370', 'Female', 'SNOMEDCT248152002'),
];

export const hyperOntologyIri = (code: string) => `${HYPER_ONTOLOGY}${code}`;

/** A hyper-ontology code as written in the ontology: a module prefix and digits. */
export const HYPER_ONTOLOGY_CODE = /^(BP|CLIN|COM|IMG|SPEC)\d{7,9}$/;
