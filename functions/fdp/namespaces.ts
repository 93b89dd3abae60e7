// The vocabularies the FAIR Data Point speaks, as n3 term factories, so no IRI is spelled twice.
import { DataFactory, type NamedNode } from 'n3';

const ns =
  (base: string) =>
  (local: string): NamedNode =>
    DataFactory.namedNode(base + local);

const PREFIXES_HEALTHDCATAP = 'https://w3id.org/healthdcat-ap#';
const PREFIXES_EUCAIM = 'https://cancerimage.eu/ontology/EUCAIM#';

export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dct: 'http://purl.org/dc/terms/',
  dcat: 'http://www.w3.org/ns/dcat#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  ldp: 'http://www.w3.org/ns/ldp#',
  fdp: 'https://w3id.org/fdp/fdp-o#',
  r3d: 'http://www.re3data.org/schema/3-0#',
  datacite: 'http://purl.org/spar/datacite/',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dqv: 'http://www.w3.org/ns/dqv#',
  spdx: 'http://spdx.org/rdf/terms#',
  dpv: 'https://w3id.org/dpv#',
  dcatap: 'http://data.europa.eu/r5r/',
  geodcatap: 'http://data.europa.eu/930/',
  healthdcatap: PREFIXES_HEALTHDCATAP,
  eucaim: PREFIXES_EUCAIM,
  cv: 'http://data.europa.eu/m8g/',
  csvw: 'http://www.w3.org/ns/csvw#',
  prov: 'http://www.w3.org/ns/prov#',
  eli: 'http://data.europa.eu/eli/ontology#',
  prof: 'http://www.w3.org/ns/dx/prof/',
} as const;

/**
 * Namespaces records of other producers still use for the same terms, read as if they were ours:
 * HealthDCAT-AP's earlier namespace, and the EUCAIM examples that wrote the hyper-ontology under
 * the address of its web service.
 */
export const NAMESPACE_ALIASES: Record<string, string> = {
  'http://healthdataportal.eu/ns/health#': PREFIXES_HEALTHDCATAP,
  'https://hyperontology.eucaim.cancerimage.eu/#': PREFIXES_EUCAIM,
};

export const rdf = ns(PREFIXES.rdf);
export const rdfs = ns(PREFIXES.rdfs);
export const xsd = ns(PREFIXES.xsd);
export const owl = ns(PREFIXES.owl);
export const dct = ns(PREFIXES.dct);
export const dcat = ns(PREFIXES.dcat);
export const foaf = ns(PREFIXES.foaf);
export const vcard = ns(PREFIXES.vcard);
export const ldp = ns(PREFIXES.ldp);
export const fdp = ns(PREFIXES.fdp);
export const r3d = ns(PREFIXES.r3d);
export const datacite = ns(PREFIXES.datacite);
export const adms = ns(PREFIXES.adms);
export const skos = ns(PREFIXES.skos);
export const dqv = ns(PREFIXES.dqv);
export const spdx = ns(PREFIXES.spdx);
export const dpv = ns(PREFIXES.dpv);
export const dcatap = ns(PREFIXES.dcatap);
export const geodcatap = ns(PREFIXES.geodcatap);
export const healthdcatap = ns(PREFIXES.healthdcatap);
export const eucaim = ns(PREFIXES.eucaim);
export const cv = ns(PREFIXES.cv);
export const csvw = ns(PREFIXES.csvw);
export const prov = ns(PREFIXES.prov);
export const eli = ns(PREFIXES.eli);
export const prof = ns(PREFIXES.prof);

export const RDF_TYPE = rdf('type');
/** IANA media types as IRIs, as DCAT-AP asks for `dcat:mediaType`. */
export const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';
/** ADMS status of a withdrawn record (tombstones). */
export const ADMS_WITHDRAWN = 'http://purl.org/adms/status/Withdrawn';
