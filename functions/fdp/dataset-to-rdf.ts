// Profile JSON -> RDF (EUCAIM DCAT-AP v2.0): one dataset with its distributions, publisher and
// contact points, written with the properties named in shared/catalogue/profile.ts. Every part that
// another document also mentions (publisher, contact points, distributions, checksum) is a named
// node, a fragment of its record's IRI, so merged documents keep one of each. rdf-to-dataset.ts
// reads the same back.
import { DataFactory, type NamedNode, type Quad_Subject } from 'n3';
import type { Agent, DatasetMetadata, Distribution } from '../../shared/catalogue/profile.ts';
import { DEFAULT_MEDIA_TYPE } from '../../shared/catalogue/profile.ts';
import {
  ACCESS_CONDITIONS,
  ACCESS_RIGHTS,
  BIRTH_SEXES,
  BODY_PARTS,
  COLLECTION_METHODS,
  CONDITIONS,
  DATASET_TYPES,
  HEALTH_CATEGORIES,
  HEALTH_THEMES,
  LEGISLATION,
  MANUFACTURERS,
  MODALITIES,
  THEME_HEALTH,
  TIERS,
  type Vocabulary,
} from '../../shared/catalogue/vocabularies.ts';
import { Graph, bool, date, decimal, duration, en, hexBinary, int, iri, str } from './graph.ts';
import { type FdpIris, part } from './iris.ts';
import {
  IANA_MEDIA_TYPES,
  adms,
  csvw,
  cv,
  dcat,
  dcatap,
  dct,
  dpv,
  dqv,
  eucaim,
  foaf,
  geodcatap,
  healthdcatap,
  rdfs,
  skos,
  spdx,
  vcard,
} from './namespaces.ts';

const { namedNode } = DataFactory;

/** The profile's lists of codes: the field, its property and its vocabulary. rdf-to-dataset.ts reads them back with this table. */
export const CODE_LISTS = [
  ['healthCategory', healthdcatap('healthCategory'), HEALTH_CATEGORIES],
  ['healthTheme', healthdcatap('healthTheme'), HEALTH_THEMES],
  ['type', dct('type'), DATASET_TYPES],
  ['applicableLegislation', dcatap('applicableLegislation'), LEGISLATION],
  ['birthSex', eucaim('hasBirthSex'), BIRTH_SEXES],
  ['collectionMethod', eucaim('collectionMethod'), COLLECTION_METHODS],
  ['modalities', eucaim('hasImageModality'), MODALITIES],
  ['manufacturers', eucaim('hasEquipmentManufacturer'), MANUFACTURERS],
  ['bodyParts', eucaim('hasImageBodyPart'), BODY_PARTS],
] as const satisfies readonly (readonly [keyof DatasetMetadata, NamedNode, Vocabulary])[];

/** The profile's single codes. */
export const SINGLE_CODES = [
  ['tier', eucaim('interoperabilityLevel'), TIERS],
  ['accessRights', dct('accessRights'), ACCESS_RIGHTS],
  ['condition', eucaim('hasCondition'), CONDITIONS],
] as const satisfies readonly (readonly [keyof DatasetMetadata, NamedNode, Vocabulary])[];

/** The IRI of a code; the profile's zod schema guarantees the code is in the vocabulary. */
export function termIri(v: Vocabulary, code: string): NamedNode {
  const t = v.find((x) => x.code === code);
  if (!t) throw new Error(`code ${code} is not in its vocabulary`);
  return namedNode(t.iri);
}

/** A hyper-ontology code (annotation labels, segmentation methods) as its IRI. */
const ontologyIri = (code: string) => eucaim(code);

/** A `foaf:Agent` named `at`, with its `cv:ContactPoint` (e-mail and/or contact page) named `at-contact`. */
export function writeAgent(g: Graph, s: Quad_Subject, p: NamedNode, agent: Agent | { name: string } | undefined, at: NamedNode) {
  if (!agent) return;
  g.add(s, p, at).type(at, foaf('Agent')).add(at, foaf('name'), str(agent.name));
  const { email, url } = agent as Agent;
  if (!email && !url) return;
  const contact = namedNode(`${at.value}-contact`);
  g.add(at, cv('contactPoint'), contact)
    .type(contact, cv('ContactPoint'))
    .add(contact, cv('email'), str(email))
    .add(contact, cv('contactPage'), iri(url));
}

export interface DistributionContext {
  /** The dataset's title, for the title the reference shapes require when the distribution has none. */
  datasetTitle: string;
  version: string;
  publisher: Agent;
  publisherIri: NamedNode;
  n: number;
}

/**
 * A `dcat:Distribution` with what the FAIR Data Point reference shapes ask of every resource (title,
 * publisher, version, one media type): the same triples in the dataset's and the distribution's record.
 */
export function writeDistribution(g: Graph, s: NamedNode, d: Distribution, ctx: DistributionContext) {
  g.type(s, dcat('Distribution'), dcat('Resource'))
    .add(s, dct('title'), en(d.title ?? `Distribution ${ctx.n} of ${ctx.datasetTitle}`))
    .add(s, dct('description'), en(d.description))
    .add(s, dcat('accessURL'), iri(d.accessUrl))
    .add(s, dcat('downloadURL'), iri(d.downloadUrl))
    .add(s, dct('rights'), termIri(ACCESS_CONDITIONS, d.accessCondition))
    .add(s, dct('license'), iri(d.license))
    .add(s, dcat('mediaType'), namedNode(IANA_MEDIA_TYPES + (d.mediaType ?? DEFAULT_MEDIA_TYPE)))
    .add(s, dcat('byteSize'), int(d.byteSize))
    .add(s, dcat('version'), str(ctx.version));
  for (const code of d.applicableLegislation) g.add(s, dcatap('applicableLegislation'), termIri(LEGISLATION, code));
  writeAgent(g, s, dct('publisher'), ctx.publisher, ctx.publisherIri);
  if (d.checksum) {
    const c = namedNode(part(s.value, 'checksum'));
    g.add(s, spdx('checksum'), c)
      .type(c, spdx('Checksum'))
      .add(c, spdx('algorithm'), spdx(`checksumAlgorithm_${d.checksum.algorithm.replace('-', '_')}`))
      .add(c, spdx('checksumValue'), hexBinary(d.checksum.value));
  }
}

/** Statements made in words (`dpv:Purpose` and the like): a typed node with an English description. */
function described(g: Graph, s: NamedNode, p: NamedNode, cls: NamedNode, texts: readonly string[] | undefined) {
  for (const t of texts ?? []) g.node(s, p, (b) => g.type(b, cls).add(b, dct('description'), en(t)));
}

/** Every triple of the dataset's description (not the FDP record's own metadata). */
export function datasetToRdf(meta: DatasetMetadata, id: string, iris: FdpIris): Graph {
  const g = new Graph();
  const s = namedNode(iris.dataset(id));
  g.type(s, dcat('Dataset'), dcat('Resource'))
    .add(s, dct('identifier'), str(iris.cataloguePage(id)))
    .add(s, dct('title'), en(meta.title))
    .add(s, dct('description'), en(meta.description))
    .add(s, dcat('version'), str(meta.version))
    .add(s, dcat('theme'), namedNode(THEME_HEALTH.iri))
    .add(s, healthdcatap('numberOfUniqueIndividuals'), int(meta.subjects))
    .add(s, healthdcatap('numberOfRecords'), int(meta.studies))
    .add(s, healthdcatap('hasStructuredData'), bool(meta.hasStructuredData))
    .add(s, healthdcatap('populationCoverage'), en(meta.populationCoverage))
    .add(s, dcat('inSeries'), namedNode(iris.series(meta.seriesId)))
    .add(s, dcat('landingPage'), iri(meta.landingPage))
    .add(s, dcat('spatialResolutionInMeters'), decimal(meta.spatialResolution))
    .add(s, dcat('temporalResolution'), duration(meta.temporalResolution));
  for (const [field, p, v] of SINGLE_CODES) g.add(s, p, termIri(v, meta[field]));
  for (const [field, p, v] of CODE_LISTS) for (const c of meta[field] ?? []) g.add(s, p, termIri(v, c));
  for (const k of meta.keywords) g.add(s, dcat('keyword'), en(k));
  for (const v of meta.variables ?? []) g.add(s, healthdcatap('hasVariables'), namedNode(v)).type(namedNode(v), csvw('TableGroup'));
  described(g, s, dpv('hasPurpose'), dpv('Purpose'), meta.purpose);
  described(g, s, dpv('hasLegalBasis'), dpv('LegalBasis'), meta.legalBasis);
  described(g, s, dpv('hasPersonalData'), dpv('PersonalData'), meta.personalData);
  const publisher = namedNode(part(s.value, 'publisher'));
  writeAgent(g, s, dct('publisher'), meta.publisher, publisher);
  writeAgent(g, s, geodcatap('custodian'), meta.custodian, namedNode(part(s.value, 'custodian')));
  writeAgent(g, s, healthdcatap('hdab'), meta.hdab, namedNode(part(s.value, 'hdab')));
  const cp = meta.contactPoint;
  const k = namedNode(part(s.value, 'contact-point'));
  g.add(s, dcat('contactPoint'), k)
    .type(k, vcard('Kind'))
    .add(k, vcard('fn'), str(cp.name))
    .add(k, vcard('hasEmail'), iri(cp.email && `mailto:${cp.email}`))
    .add(k, vcard('hasURL'), iri(cp.url));
  g.node(s, dct('provenance'), (p) => g.type(p, dct('ProvenanceStatement')).add(p, rdfs('label'), en(meta.provenance)));
  if (meta.ageRange) {
    g.add(s, healthdcatap('minTypicalAge'), int(meta.ageRange.min)).add(s, healthdcatap('maxTypicalAge'), int(meta.ageRange.max));
  }
  const rp = meta.retentionPeriod;
  if (rp)
    g.node(s, healthdcatap('retentionPeriod'), (p) =>
      g.type(p, dct('PeriodOfTime')).add(p, dcat('startDate'), date(rp.start)).add(p, dcat('endDate'), date(rp.end)),
    );
  const qa = meta.qualityAnnotation;
  if (qa)
    g.node(s, dqv('hasQualityAnnotation'), (a) =>
      g.type(a, dqv('QualityCertificate'), dqv('QualityAnnotation')).add(a, rdfs('comment'), en(qa)),
    );
  const seg = meta.segmentation;
  for (const l of seg?.labels ?? []) g.add(s, eucaim('hasAnnotationLabel'), ontologyIri(l));
  for (const a of seg?.algorithmTypes ?? []) g.add(s, eucaim('hasAlgorithmType'), ontologyIri(a));
  g.add(s, eucaim('nbrOfSegmentations'), int(seg?.count));
  for (const v of meta.secondaryIdentifiers ?? [])
    g.node(s, adms('identifier'), (b) => g.type(b, adms('Identifier')).add(b, skos('notation'), str(v)));
  meta.distributions.forEach((d, i) => {
    const ds = namedNode(iris.distribution(id, i + 1));
    g.add(s, dcat('distribution'), ds);
    writeDistribution(g, ds, d, {
      datasetTitle: meta.title,
      version: meta.version,
      publisher: meta.publisher,
      publisherIri: publisher,
      n: i + 1,
    });
  });
  return g;
}
