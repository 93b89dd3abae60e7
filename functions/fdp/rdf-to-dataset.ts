// RDF -> profile JSON: the inverse of dataset-to-rdf.ts, used by harvesting and Turtle input. It
// reads what is there (EUCAIM DCAT-AP v2.0 as any node writes it, and what earlier versions of the
// hub wrote) and leaves checking to the profile's zod schema, so a value outside a vocabulary
// arrives as its IRI and the catalogue's 422 names it.
import { DataFactory, type Literal, type NamedNode, type Quad, type Quad_Object, type Quad_Subject, type Store, type Term } from 'n3';
import { HYPER_ONTOLOGY } from '../../shared/catalogue/hyper-ontology.ts';
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import { ACCESS_CONDITIONS, byIri, currentCode, LEGISLATION, type Vocabulary } from '../../shared/catalogue/vocabularies.ts';
import { CODE_LISTS, SINGLE_CODES } from './dataset-to-rdf.ts';
import {
  IANA_MEDIA_TYPES,
  NAMESPACE_ALIASES,
  adms,
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

/** What a Turtle document or a harvested record said about a dataset, before profile validation. */
export type MappedDataset = { [K in keyof DatasetMetadata]?: unknown };

const aliased = (t: Term): Term => {
  if (t.termType !== 'NamedNode') return t;
  for (const [from, to] of Object.entries(NAMESPACE_ALIASES))
    if (t.value.startsWith(from)) return DataFactory.namedNode(to + t.value.slice(from.length));
  return t;
};

/** Quads with the namespaces other producers use for the profile's terms rewritten to the profile's. */
export function canonicalQuads(quads: Quad[]): Quad[] {
  return quads.map((q) => {
    const [p, o] = [aliased(q.predicate), aliased(q.object)];
    return p === q.predicate && o === q.object ? q : DataFactory.quad(q.subject, p as NamedNode, o as Quad_Object, q.graph);
  });
}

export class RdfReader {
  constructor(readonly store: Store) {}

  objects(s: Quad_Subject, p: NamedNode): Quad_Object[] {
    return this.store.getObjects(s, p, null);
  }
  /** English first, then untagged, then any language: the profile's texts are English. */
  text(s: Quad_Subject, p: NamedNode): string | undefined {
    const lits = this.objects(s, p).filter((o): o is Literal => o.termType === 'Literal');
    const pick = lits.find((l) => l.language === 'en') ?? lits.find((l) => !l.language) ?? lits[0];
    return pick?.value;
  }
  texts(s: Quad_Subject, p: NamedNode): string[] {
    return this.objects(s, p)
      .filter((o) => o.termType === 'Literal')
      .map((o) => o.value);
  }
  iriValue(s: Quad_Subject, p: NamedNode): string | undefined {
    return this.objects(s, p).find((o) => o.termType === 'NamedNode')?.value;
  }
  iriValues(s: Quad_Subject, p: NamedNode): string[] {
    return this.objects(s, p)
      .filter((o) => o.termType === 'NamedNode')
      .map((o) => o.value);
  }
  number(s: Quad_Subject, p: NamedNode): number | undefined {
    const v = this.text(s, p);
    return v === undefined || v.trim() === '' ? undefined : Number(v);
  }
  /** Codes of a vocabulary; an IRI outside it is kept as is so validation can name it. */
  codes(s: Quad_Subject, p: NamedNode, v: Vocabulary): string[] {
    return this.objects(s, p).map((o) => (o.termType === 'NamedNode' ? codeOf(v, o.value) : o.value));
  }
  nodes(s: Quad_Subject, p: NamedNode): Quad_Subject[] {
    return this.objects(s, p).filter((o) => o.termType === 'NamedNode' || o.termType === 'BlankNode') as Quad_Subject[];
  }
}

/** A vocabulary IRI as its code; the IRIs earlier hub versions wrote still read (their last segment is the old code). */
function codeOf(v: Vocabulary, iri: string): string {
  const known = byIri(v, iri)?.code;
  if (known) return known;
  const last =
    iri
      .replace(/[/#]+$/, '')
      .split(/[/#]/)
      .pop() ?? '';
  return currentCode(v, last) ?? iri;
}

const mailto = (v: string | undefined) => (v?.startsWith('mailto:') ? v.slice('mailto:'.length) : v);
/** The object without its undefined fields, or undefined when nothing is left. */
const defined = <T extends object>(o: T): T | undefined => (Object.values(o).some((v) => v !== undefined) ? compact(o) : undefined);
const nonEmpty = <T>(a: T[]) => (a.length ? a : undefined);

/** Drops undefined fields so a round trip compares equal to the JSON it came from. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A `foaf:Agent` with its contact point (`cv:contactPoint`; foaf:mbox / foaf:homepage as earlier records wrote). */
export function readAgent(r: RdfReader, node: Term | undefined) {
  if (!node || node.termType === 'Literal') return undefined;
  const a = node as Quad_Subject;
  const contact = r.nodes(a, cv('contactPoint'))[0] ?? r.nodes(a, dcat('contactPoint'))[0];
  const email =
    contact && (r.text(contact, cv('email')) ?? mailto(r.iriValue(contact, cv('email')) ?? r.iriValue(contact, vcard('hasEmail'))));
  const url = contact && (r.iriValue(contact, cv('contactPage')) ?? r.iriValue(contact, vcard('hasURL')));
  return defined({
    name: r.text(a, foaf('name')),
    email: mailto(email ?? r.iriValue(a, foaf('mbox')) ?? r.text(a, foaf('mbox'))),
    url: url ?? r.iriValue(a, foaf('homepage')),
  });
}

/** Statements made in words (`dpv:Purpose` nodes with a description) or DPV concepts (their IRI). */
function statements(r: RdfReader, s: Quad_Subject, p: NamedNode): string[] | undefined {
  return nonEmpty(
    r.objects(s, p).flatMap((o) => {
      if (o.termType === 'Literal') return [o.value];
      if (o.termType === 'NamedNode') return [o.value];
      const b = o as Quad_Subject;
      const t = r.text(b, dct('description')) ?? r.text(b, rdfs('label'));
      return t === undefined ? [] : [t];
    }),
  );
}

const ALGORITHM = /checksumAlgorithm_(.+)$/;

export function readDistribution(r: RdfReader, d: Quad_Subject, n: number, datasetTitle: string | undefined) {
  const sum = r.nodes(d, spdx('checksum'))[0];
  const algorithm = sum && ALGORITHM.exec(r.iriValue(sum, spdx('algorithm')) ?? '')?.[1]?.replace('_', '-');
  const media = r.iriValue(d, dcat('mediaType')) ?? r.text(d, dcat('mediaType'));
  const rights = r.codes(d, dct('rights'), ACCESS_CONDITIONS);
  const title = r.text(d, dct('title'));
  return {
    // The FDP names an untitled distribution after its dataset; that name is not the distribution's own.
    title: title === `Distribution ${n} of ${datasetTitle}` ? undefined : title,
    description: r.text(d, dct('description')),
    accessUrl: r.iriValue(d, dcat('accessURL')),
    downloadUrl: r.iriValue(d, dcat('downloadURL')),
    accessCondition: rights.find((c) => ACCESS_CONDITIONS.some((t) => t.code === c)) ?? rights[0],
    applicableLegislation: nonEmpty(r.codes(d, dcatap('applicableLegislation'), LEGISLATION)),
    license: r.iriValue(d, dct('license')),
    mediaType: media?.startsWith(IANA_MEDIA_TYPES) ? media.slice(IANA_MEDIA_TYPES.length) : media,
    byteSize: r.number(d, dcat('byteSize')),
    checksum: sum ? { algorithm, value: r.text(sum, spdx('checksumValue')) } : undefined,
  };
}

/** The id of a series or network: its `dct:identifier`, else the last segment of its IRI. */
export function seriesIdOf(r: RdfReader, series: Quad_Subject | undefined): string | undefined {
  if (!series) return undefined;
  return (
    r.text(series, dct('identifier')) ??
    decodeURIComponent(
      series.value
        .replace(/[/#]+$/, '')
        .split(/[/#]/)
        .pop() ?? '',
    )
  );
}

/** A hyper-ontology IRI as its code (annotation labels, segmentation methods); another IRI as is. */
const ontologyCodes = (iris: string[]) => nonEmpty(iris.map((i) => (i.startsWith(HYPER_ONTOLOGY) ? i.slice(HYPER_ONTOLOGY.length) : i)));

export function rdfToDataset(r: RdfReader, s: Quad_Subject): MappedDataset {
  const cp = r.nodes(s, dcat('contactPoint'))[0];
  const prov = r.nodes(s, dct('provenance'))[0];
  const rp = r.nodes(s, healthdcatap('retentionPeriod'))[0];
  const qa = r.nodes(s, dqv('hasQualityAnnotation'))[0];
  const min = r.number(s, healthdcatap('minTypicalAge'));
  const max = r.number(s, healthdcatap('maxTypicalAge'));
  const hasStructured = r.text(s, healthdcatap('hasStructuredData'));
  const title = r.text(s, dct('title'));
  const conditions = r.codes(s, eucaim('hasCondition'), SINGLE_CODES[2][2]);
  return compact({
    title,
    description: r.text(s, dct('description')),
    version: r.text(s, dcat('version')),
    ...Object.fromEntries(SINGLE_CODES.map(([field, p, v]) => [field, r.codes(s, p, v)[0]])),
    // Exactly one condition: several are kept so validation says so.
    condition: conditions.length > 1 ? conditions : conditions[0],
    hdab: readAgent(r, r.nodes(s, healthdcatap('hdab'))[0]),
    publisher: readAgent(r, r.nodes(s, dct('publisher'))[0]),
    custodian: readAgent(r, r.nodes(s, geodcatap('custodian'))[0]),
    contactPoint:
      cp &&
      compact({ name: r.text(cp, vcard('fn')), email: mailto(r.iriValue(cp, vcard('hasEmail'))), url: r.iriValue(cp, vcard('hasURL')) }),
    subjects: r.number(s, healthdcatap('numberOfUniqueIndividuals')),
    studies: r.number(s, healthdcatap('numberOfRecords')),
    hasStructuredData: hasStructured === undefined ? undefined : hasStructured === 'true' || hasStructured === '1',
    variables: nonEmpty(r.iriValues(s, healthdcatap('hasVariables'))),
    keywords: nonEmpty(r.texts(s, dcat('keyword'))),
    provenance: prov ? (r.text(prov, rdfs('label')) ?? r.text(prov, dct('description'))) : r.text(s, dct('provenance')),
    distributions: nonEmpty(r.nodes(s, dcat('distribution')).map((d, i) => compact(readDistribution(r, d, i + 1, title)))),
    seriesId: seriesIdOf(r, r.nodes(s, dcat('inSeries'))[0]),
    purpose: statements(r, s, dpv('hasPurpose')),
    legalBasis: statements(r, s, dpv('hasLegalBasis')),
    personalData: statements(r, s, dpv('hasPersonalData')),
    populationCoverage: r.text(s, healthdcatap('populationCoverage')),
    ageRange: min === undefined && max === undefined ? undefined : { min, max },
    retentionPeriod: rp && defined({ start: r.text(rp, dcat('startDate')), end: r.text(rp, dcat('endDate')) }),
    landingPage: r.iriValue(s, dcat('landingPage')),
    qualityAnnotation: qa ? (r.text(qa, rdfs('comment')) ?? r.text(qa, dct('description'))) : undefined,
    ...Object.fromEntries(CODE_LISTS.map(([field, p, v]) => [field, nonEmpty(r.codes(s, p, v))])),
    segmentation: defined({
      labels: ontologyCodes(r.iriValues(s, eucaim('hasAnnotationLabel'))),
      algorithmTypes: ontologyCodes(r.iriValues(s, eucaim('hasAlgorithmType'))),
      count: r.number(s, eucaim('nbrOfSegmentations')),
    }),
    spatialResolution: r.number(s, dcat('spatialResolutionInMeters')),
    temporalResolution: r.text(s, dcat('temporalResolution')),
    secondaryIdentifiers: nonEmpty(r.nodes(s, adms('identifier')).flatMap((b) => r.texts(b, skos('notation')))),
  });
}

const UUID_IN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Who a dataset is: the UUID the catalogue keeps it under (taken from its `dct:identifier`, which
 * EUCAIM DCAT-AP v2.0 makes the catalogue URI, else from its IRI as the reference FAIR Data Point
 * mints them), and the `dct:identifier` as the source wrote it.
 */
export function datasetIdentity(r: RdfReader, s: Quad_Subject): { uuid?: string; identifier?: string } {
  const identifier = r.text(s, dct('identifier')) ?? r.iriValue(s, dct('identifier'));
  const uuid = (UUID_IN.exec(identifier ?? '') ?? (s.termType === 'NamedNode' ? UUID_IN.exec(s.value) : null))?.[0]?.toLowerCase();
  return compact({ uuid, identifier });
}
