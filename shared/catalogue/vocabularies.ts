// The controlled vocabularies of EUCAIM DCAT-AP v2.0 (EUCAIM/eucaim_dcat_ap, releases/v2.0 and
// releases/controlled-vocabularies). `code` is what the API and the database hold (the vocabulary's
// own notation: a hyper-ontology code, an authority-table code); `iri` is what the FAIR Data Point
// writes; `label` is what people read. `legacy` lists the codes the API took before v2.0: read for
// one release (shared/catalogue/legacy.ts) and rewritten by the migration.
import { HYPER_ONTOLOGY_TABLE, type HyperOntologyKey, hyperOntologyIri } from './hyper-ontology.ts';

export interface Term {
  code: string;
  label: string;
  iri: string;
  /** The search filter catalogue's code for the same concept, where the search has one. */
  searchCode?: string;
  legacy?: readonly string[];
}
export type Vocabulary = readonly Term[];

const term = (code: string, label: string, iri: string, legacy?: readonly string[]): Term => ({
  code,
  label,
  iri,
  ...(legacy ? { legacy } : {}),
});
const fromOntology = (key: HyperOntologyKey): Term[] =>
  HYPER_ONTOLOGY_TABLE.filter((r) => r.key === key).map((r) => ({
    code: r.code,
    label: r.label,
    iri: hyperOntologyIri(r.code),
    ...(r.searchCode ? { searchCode: r.searchCode } : {}),
    ...(r.legacy?.length ? { legacy: r.legacy } : {}),
  }));

export const TIERS = fromOntology('tier');
export const CONDITIONS = fromOntology('condition');
export const MODALITIES = fromOntology('modality');
export const MANUFACTURERS = fromOntology('manufacturer');
export const BODY_PARTS = fromOntology('bodyPart');
export const BIRTH_SEXES = fromOntology('birthSex');
export const COLLECTION_METHODS = fromOntology('collectionMethod');

const DPV = 'https://w3id.org/dpv#';
/** `dct:type`: the hyper-ontology's dataset types and/or DPV's kinds of data. */
export const DATASET_TYPES: Vocabulary = [
  ...fromOntology('datasetType'),
  term('PseudonymisedData', 'Pseudonymised data', `${DPV}PseudonymisedData`),
  term('AnonymisedData', 'Anonymised data', `${DPV}AnonymisedData`),
  term('SyntheticData', 'Synthetic data', `${DPV}SyntheticData`),
];

const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';
export const ACCESS_RIGHTS: Vocabulary = [
  term('PUBLIC', 'Public', `${ACCESS_RIGHT}PUBLIC`),
  term('RESTRICTED', 'Restricted', `${ACCESS_RIGHT}RESTRICTED`),
  term('NON_PUBLIC', 'Non-public', `${ACCESS_RIGHT}NON_PUBLIC`),
];

/** The profile's own access-condition scheme (releases/controlled-vocabularies/access-conditions). */
export const ACCESS_CONDITION_SCHEME = 'https://eucaim.github.io/eucaim_dcat_ap/releases/controlled-vocabularies/access-conditions/';
export const ACCESS_CONDITIONS: Vocabulary = [
  term('DOWNLOAD', 'Download access', `${ACCESS_CONDITION_SCHEME}#DOWNLOAD`),
  term('IN_SITU_PROCESSING', 'In-situ processing', `${ACCESS_CONDITION_SCHEME}#IN_SITU_PROCESSING`),
  term('REMOTE_PROCESSING', 'Remote processing without direct data access', `${ACCESS_CONDITION_SCHEME}#REMOTE_PROCESSING`),
];

/** The EHDS health categories (Article 51), as the HealthDCAT-AP authority list codes them. There is no imaging category. */
export const HEALTH_CATEGORY_BASE = 'https://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/healthcategories/';
const hc = (code: string, label: string, legacy?: readonly string[]) => term(code, label, `${HEALTH_CATEGORY_BASE}${code}`, legacy);
export const HEALTH_CATEGORIES: Vocabulary = [
  hc('EHRS', 'Electronic health data from EHRs', ['IMAGING', 'CLINICAL']),
  hc('DIOH', 'Data on factors impacting on health'),
  hc('NRPE', 'Aggregated data on healthcare needs and resources'),
  hc('RPDG', 'Data on pathogens that impact human health'),
  hc('HRAD', 'Healthcare-related administrative data'),
  hc('HGPD', 'Human genetic, epigenomic and genomic data', ['GENOMICS']),
  hc('HPML', 'Other human molecular data'),
  hc('PGEH', 'Personal electronic health data generated through medical devices'),
  hc('IDHP', 'Data on health professionals involved in treatment'),
  hc('PHDR', 'Population-based health data registries'),
  hc('MRMR', 'Medical registries and mortality registries'),
  hc('EHCT', 'Clinical trials, studies and investigations'),
  hc('EMRD', 'Other health data from medical devices'),
  hc('RMMD', 'Registries for medicinal products and medical devices'),
  hc('RQSH', 'Research cohorts, questionnaires and surveys'),
  hc('EINS', 'Health data from biobanks'),
  hc('WELA', 'Data from wellness applications'),
];

const HEALTH_THEME = 'https://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/health-theme/';
export const HEALTH_THEMES: Vocabulary = [term('CANCER_DISEASE', 'Cancer', `${HEALTH_THEME}CANCER_DISEASE`)];

export const LEGISLATION: Vocabulary = [
  term('EHDS', 'European Health Data Space Regulation (EU) 2025/327', 'http://data.europa.eu/eli/reg/2025/327/oj'),
  term('GDPR', 'General Data Protection Regulation (EU) 2016/679', 'http://data.europa.eu/eli/reg/2016/679/oj'),
];

/** The DCAT theme every EUCAIM dataset carries. */
export const THEME_HEALTH = term('HEAL', 'Health', 'http://publications.europa.eu/resource/authority/data-theme/HEAL');

/** The vocabularies by the name the hub serves them under (`/fdp/vocabularies/{name}`, as SKOS). */
export const VOCABULARIES = {
  tier: { title: 'Interoperability tiers', terms: TIERS },
  'dataset-type': { title: 'Dataset types', terms: DATASET_TYPES },
  'access-right': { title: 'Access rights', terms: ACCESS_RIGHTS },
  'access-condition': { title: 'Access conditions', terms: ACCESS_CONDITIONS },
  'health-category': { title: 'EHDS health categories', terms: HEALTH_CATEGORIES },
  'health-theme': { title: 'Health themes', terms: HEALTH_THEMES },
  legislation: { title: 'Applicable legislation', terms: LEGISLATION },
  'collection-method': { title: 'Collection methods', terms: COLLECTION_METHODS },
  condition: { title: 'Cancer conditions', terms: CONDITIONS },
  modality: { title: 'Imaging modalities', terms: MODALITIES },
  manufacturer: { title: 'Equipment manufacturers', terms: MANUFACTURERS },
  'body-part': { title: 'Body structures', terms: BODY_PARTS },
  'birth-sex': { title: 'Sex assigned at birth', terms: BIRTH_SEXES },
} as const satisfies Record<string, { title: string; terms: Vocabulary }>;
export type VocabularyName = keyof typeof VOCABULARIES;

export const codesOf = (v: Vocabulary) => v.map((t) => t.code) as [string, ...string[]];
export const labelOf = (v: Vocabulary, code: string) => v.find((t) => t.code === code)?.label ?? code;
export const byIri = (v: Vocabulary, iri: string) => v.find((t) => t.iri === iri);
/** The current code for a code or a pre-v2.0 code; undefined when neither. */
export const currentCode = (v: Vocabulary, code: string) => v.find((t) => t.code === code || t.legacy?.includes(code))?.code;
