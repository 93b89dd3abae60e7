// The closed vocabularies of the EUCAIM dataset profile (EUCAIM DCAT-AP 2.0). Codes are what the
// API and the database hold; `iri` is what the FAIR Data Point writes; `label` is what people read.
// Condition, modality, body part, manufacturer and birth sex reuse the search filter catalogue's
// codes, so a catalogue facet and a search filter mean the same thing.
import { EUCAIM_KEYS, filterByKey } from '../filter-catalogue.ts';

export interface Term {
  code: string;
  label: string;
  iri: string;
}

const EUCAIM_NS = 'https://w3id.org/eucaim/ontology#';
const term = (code: string, label: string, iri = `${EUCAIM_NS}${code}`): Term => ({ code, label, iri });

export const TIERS = [
  term('TIER_1', 'Tier 1'),
  term('TIER_2', 'Tier 2'),
  term('TIER_3', 'Tier 3'),
  term('TIER_3A_PLUS', 'Tier 3A+'),
] as const;

export const DATASET_TYPES = [term('ORIGINAL', 'Original'), term('ANNOTATED', 'Annotated'), term('PROCESSED', 'Processed')] as const;

const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';
export const ACCESS_RIGHTS = [
  term('PUBLIC', 'Public', `${ACCESS_RIGHT}PUBLIC`),
  term('RESTRICTED', 'Restricted', `${ACCESS_RIGHT}RESTRICTED`),
  term('NON_PUBLIC', 'Non-public', `${ACCESS_RIGHT}NON_PUBLIC`),
] as const;

/** The seed's three access models: download; in-situ virtual research environment; remote processing only. */
export const ACCESS_CONDITIONS = [
  term('DOWNLOAD', 'Download'),
  term('IN_SITU_PROCESSING', 'In-situ processing'),
  term('REMOTE_PROCESSING', 'Remote (federated) processing'),
] as const;

export const COLLECTION_METHODS = [
  term('RETROSPECTIVE', 'Retrospective'),
  term('PROSPECTIVE', 'Prospective'),
  term('CLINICAL_TRIAL', 'Clinical trial'),
  term('ROUTINE_CARE', 'Routine care'),
] as const;

const HEALTH_CATEGORY = 'http://healthdataportal.eu/ns/health#';
export const HEALTH_CATEGORIES = [
  term('IMAGING', 'Medical imaging', `${HEALTH_CATEGORY}IMAGING`),
  term('CLINICAL', 'Clinical data', `${HEALTH_CATEGORY}CLINICAL`),
  term('GENOMICS', 'Genomics', `${HEALTH_CATEGORY}GENOMICS`),
] as const;

export const LEGISLATION = [term('EHDS', 'European Health Data Space Regulation', 'http://data.europa.eu/eli/reg/2025/327/oj')] as const;

/** The DCAT theme every EUCAIM dataset carries. */
export const THEME_HEALTH = term('HEAL', 'Health', 'http://publications.europa.eu/resource/authority/data-theme/HEAL');

function fromFilter(key: string, iriBase: string): Term[] {
  return (filterByKey(key)?.values ?? []).map((v) => term(v.code, v.label, `${iriBase}${v.code}`));
}

export const CONDITIONS = fromFilter(EUCAIM_KEYS.diagnosis, `${EUCAIM_NS}condition/`);
export const MODALITIES = fromFilter(EUCAIM_KEYS.modality, `${EUCAIM_NS}modality/`);
export const BODY_PARTS = fromFilter(EUCAIM_KEYS.bodyPart, `${EUCAIM_NS}bodyPart/`);
export const MANUFACTURERS = fromFilter(EUCAIM_KEYS.manufacturer, `${EUCAIM_NS}manufacturer/`);
export const BIRTH_SEXES = fromFilter(EUCAIM_KEYS.gender, `${EUCAIM_NS}birthSex/`);

export type Vocabulary = readonly Term[];
export const codesOf = (v: Vocabulary) => v.map((t) => t.code) as [string, ...string[]];
export const labelOf = (v: Vocabulary, code: string) => v.find((t) => t.code === code)?.label ?? code;
export const byIri = (v: Vocabulary, iri: string) => v.find((t) => t.iri === iri);
