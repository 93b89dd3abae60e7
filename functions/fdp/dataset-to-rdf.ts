// Profile JSON -> RDF: one dataset with its distributions, publisher and contact point, written
// with the properties named in shared/catalogue/profile.ts. rdf-to-dataset.ts reads the same back.
import type { BlankNode, NamedNode } from 'n3';
import { DataFactory } from 'n3';
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import {
  ACCESS_CONDITIONS,
  ACCESS_RIGHTS,
  BIRTH_SEXES,
  BODY_PARTS,
  COLLECTION_METHODS,
  CONDITIONS,
  DATASET_TYPES,
  HEALTH_CATEGORIES,
  LEGISLATION,
  MANUFACTURERS,
  MODALITIES,
  THEME_HEALTH,
  TIERS,
  type Vocabulary,
} from '../../shared/catalogue/vocabularies.ts';
import { Graph, bool, date, en, int, iri, str } from './graph.ts';
import type { FdpIris } from './iris.ts';
import {
  IANA_MEDIA_TYPES,
  adms,
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

/**
 * The profile's lists of codes: the field, the property each code is written with, and the
 * vocabulary of its codes. rdf-to-dataset.ts reads them back with this same table.
 */
export const CODE_LISTS = [
  ['healthCategory', healthdcatap('healthCategory'), HEALTH_CATEGORIES],
  ['applicableLegislation', dcatap('applicableLegislation'), LEGISLATION],
  ['birthSex', eucaim('hasBirthSex'), BIRTH_SEXES],
  ['collectionMethod', eucaim('collectionMethod'), COLLECTION_METHODS],
  ['modalities', eucaim('hasImageModality'), MODALITIES],
  ['manufacturers', eucaim('hasEquipmentManufacturer'), MANUFACTURERS],
  ['bodyParts', eucaim('hasImageBodyPart'), BODY_PARTS],
] as const satisfies readonly (readonly [keyof DatasetMetadata, NamedNode, Vocabulary])[];

type Agent = DatasetMetadata['publisher'];
type Distribution = DatasetMetadata['distributions'][number];

/** The IRI of a code; the profile's zod schema guarantees the code is in the vocabulary. */
function termIri(v: Vocabulary, code: string): NamedNode {
  const t = v.find((x) => x.code === code);
  if (!t) throw new Error(`code ${code} is not in its vocabulary`);
  return DataFactory.namedNode(t.iri);
}

/**
 * A `foaf:Agent`, as a blank node unless `at` names it: records served as separate documents that
 * share an agent name it, so a harvester merging them sees one publisher, not two.
 */
export function writeAgent(g: Graph, s: NamedNode | BlankNode, p: NamedNode, agent: Agent | undefined, at?: NamedNode) {
  if (!agent) return;
  const fill = (a: NamedNode | BlankNode) =>
    g
      .type(a, foaf('Agent'))
      .add(a, foaf('name'), str(agent.name))
      .add(a, foaf('mbox'), iri(agent.email && `mailto:${agent.email}`))
      .add(a, foaf('homepage'), iri(agent.url));
  if (!at) return void g.node(s, p, fill);
  g.add(s, p, at);
  fill(at);
}

/** The named publisher of a dataset, shared by its distribution records. */
export const publisherIri = (datasetIri: string) => DataFactory.namedNode(`${datasetIri}#publisher`);

export function writeDistribution(g: Graph, s: NamedNode, d: Distribution) {
  g.type(s, dcat('Distribution'))
    .add(s, dct('title'), en(d.title))
    .add(s, dcat('accessURL'), iri(d.accessUrl))
    .add(s, dct('rights'), termIri(ACCESS_CONDITIONS, d.accessCondition))
    .add(s, dct('license'), iri(d.license))
    .add(s, dcat('mediaType'), iri(d.mediaType && IANA_MEDIA_TYPES + d.mediaType));
  if (d.checksum) {
    const sum = d.checksum;
    g.node(s, spdx('checksum'), (c) =>
      g
        .type(c, spdx('Checksum'))
        .add(c, spdx('algorithm'), spdx(`checksumAlgorithm_${sum.algorithm.replace('-', '_')}`))
        .add(c, spdx('checksumValue'), str(sum.value)),
    );
  }
}

/** Every triple of the dataset's description (not the FDP record's own metadata). */
export function datasetToRdf(meta: DatasetMetadata, id: string, iris: FdpIris): Graph {
  const g = new Graph();
  const s = DataFactory.namedNode(iris.dataset(id));
  const many = (p: NamedNode, v: Vocabulary, codes: readonly string[]) => {
    for (const c of codes) g.add(s, p, termIri(v, c));
  };
  g.type(s, dcat('Dataset'))
    .add(s, dct('identifier'), str(id))
    .add(s, dct('title'), en(meta.title))
    .add(s, dct('description'), en(meta.description))
    .add(s, dcat('version'), str(meta.version))
    .add(s, eucaim('interoperabilityLevel'), termIri(TIERS, meta.tier))
    .add(s, dcat('theme'), DataFactory.namedNode(THEME_HEALTH.iri))
    .add(s, dct('type'), termIri(DATASET_TYPES, meta.type))
    .add(s, dct('accessRights'), termIri(ACCESS_RIGHTS, meta.accessRights))
    .add(s, healthdcatap('numberOfUniqueIndividuals'), int(meta.subjects))
    .add(s, healthdcatap('numberOfRecords'), int(meta.studies))
    .add(s, healthdcatap('hasStructuredData'), bool(meta.hasStructuredData))
    .add(s, eucaim('hasCondition'), termIri(CONDITIONS, meta.condition))
    .add(s, dcat('inSeries'), DataFactory.namedNode(iris.series(meta.seriesId)))
    .add(s, dcat('landingPage'), iri(meta.landingPage))
    .add(s, dcat('spatialResolutionInMeters'), str(meta.spatialResolution))
    .add(s, dcat('temporalResolution'), str(meta.temporalResolution));
  for (const [field, p, v] of CODE_LISTS) many(p, v, meta[field]);
  for (const k of meta.keywords) g.add(s, dcat('keyword'), en(k));
  for (const v of meta.purpose ?? []) g.add(s, dpv('hasPurpose'), en(v));
  for (const v of meta.legalBasis ?? []) g.add(s, dpv('hasLegalBasis'), en(v));
  for (const v of meta.personalData ?? []) g.add(s, dpv('hasPersonalData'), en(v));
  writeAgent(g, s, dct('publisher'), meta.publisher, publisherIri(s.value));
  writeAgent(g, s, geodcatap('custodian'), meta.custodian);
  if (meta.hdab !== undefined) writeAgent(g, s, healthdcatap('hdab'), { name: meta.hdab });
  const cp = meta.contactPoint;
  g.node(s, dcat('contactPoint'), (k) =>
    g
      .type(k, vcard('Kind'))
      .add(k, vcard('fn'), str(cp.name))
      .add(k, vcard('hasEmail'), iri(cp.email && `mailto:${cp.email}`))
      .add(k, vcard('hasURL'), iri(cp.url)),
  );
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
  if (qa) g.node(s, dqv('hasQualityAnnotation'), (a) => g.type(a, dqv('QualityAnnotation')).add(a, rdfs('comment'), en(qa)));
  const seg = meta.segmentation;
  if (seg) {
    for (const l of seg.labels ?? []) g.add(s, eucaim('segmentationLabel'), str(l));
    g.add(s, eucaim('segmentationMethod'), str(seg.method)).add(s, eucaim('numberOfSegmentations'), int(seg.count));
  }
  for (const v of meta.secondaryIdentifiers ?? [])
    g.node(s, adms('identifier'), (b) => g.type(b, adms('Identifier')).add(b, skos('notation'), str(v)));
  meta.distributions.forEach((d, i) => {
    const ds = DataFactory.namedNode(iris.distribution(id, i + 1));
    g.add(s, dcat('distribution'), ds);
    writeDistribution(g, ds, d);
  });
  return g;
}
