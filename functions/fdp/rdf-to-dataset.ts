// RDF -> profile JSON: the inverse of dataset-to-rdf.ts, used by harvesting and Turtle input. It
// reads what is there and leaves checking to the profile's zod schema, so a value outside a
// vocabulary arrives as its IRI and the catalogue's 422 names it.
import type { Literal, NamedNode, Quad_Object, Quad_Subject, Store, Term } from 'n3';
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import {
  ACCESS_CONDITIONS,
  ACCESS_RIGHTS,
  CONDITIONS,
  DATASET_TYPES,
  TIERS,
  type Vocabulary,
  byIri,
} from '../../shared/catalogue/vocabularies.ts';
import { CODE_LISTS } from './dataset-to-rdf.ts';
import {
  IANA_MEDIA_TYPES,
  adms,
  dcat,
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
  number(s: Quad_Subject, p: NamedNode): number | undefined {
    const v = this.text(s, p);
    return v === undefined ? undefined : Number(v);
  }
  /** Codes of a vocabulary; an IRI outside it is kept as is so validation can name it. */
  codes(s: Quad_Subject, p: NamedNode, v: Vocabulary): string[] {
    return this.objects(s, p).map((o) => (o.termType === 'NamedNode' ? (byIri(v, o.value)?.code ?? o.value) : o.value));
  }
  nodes(s: Quad_Subject, p: NamedNode): Quad_Subject[] {
    return this.objects(s, p).filter((o): o is NamedNode => o.termType === 'NamedNode' || o.termType === 'BlankNode') as Quad_Subject[];
  }
}

const mailto = (v: string | undefined) => (v?.startsWith('mailto:') ? v.slice('mailto:'.length) : v);
/** The object without its undefined fields, or undefined when nothing is left. */
const defined = <T extends object>(o: T): T | undefined => (Object.values(o).some((v) => v !== undefined) ? compact(o) : undefined);
const nonEmpty = <T>(a: T[]) => (a.length ? a : undefined);

export function readAgent(r: RdfReader, node: Term | undefined) {
  if (!node || node.termType === 'Literal') return undefined;
  const a = node as Quad_Subject;
  return defined({
    name: r.text(a, foaf('name')),
    email: mailto(r.iriValue(a, foaf('mbox')) ?? r.text(a, foaf('mbox'))),
    url: r.iriValue(a, foaf('homepage')),
  });
}

export function readDistribution(r: RdfReader, d: Quad_Subject) {
  const sum = r.nodes(d, spdx('checksum'))[0];
  const algorithm = sum && r.iriValue(sum, spdx('algorithm'))?.split('checksumAlgorithm_')[1]?.replace('_', '-');
  const media = r.iriValue(d, dcat('mediaType')) ?? r.text(d, dcat('mediaType'));
  return {
    title: r.text(d, dct('title')),
    accessUrl: r.iriValue(d, dcat('accessURL')),
    accessCondition: r.codes(d, dct('rights'), ACCESS_CONDITIONS)[0],
    license: r.iriValue(d, dct('license')),
    mediaType: media?.startsWith(IANA_MEDIA_TYPES) ? media.slice(IANA_MEDIA_TYPES.length) : media,
    checksum: sum ? { algorithm, value: r.text(sum, spdx('checksumValue')) } : undefined,
  };
}

/** The series id: its `dct:identifier`, else the last segment of its IRI. */
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

/** Drops undefined fields so a round trip compares equal to the JSON it came from. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function rdfToDataset(r: RdfReader, s: Quad_Subject): MappedDataset {
  const one = (p: NamedNode, v: Vocabulary) => r.codes(s, p, v)[0];
  const cp = r.nodes(s, dcat('contactPoint'))[0];
  const prov = r.nodes(s, dct('provenance'))[0];
  const rp = r.nodes(s, healthdcatap('retentionPeriod'))[0];
  const qa = r.nodes(s, dqv('hasQualityAnnotation'))[0];
  const min = r.number(s, healthdcatap('minTypicalAge'));
  const max = r.number(s, healthdcatap('maxTypicalAge'));
  const hasStructured = r.text(s, healthdcatap('hasStructuredData'));
  return compact({
    title: r.text(s, dct('title')),
    description: r.text(s, dct('description')),
    version: r.text(s, dcat('version')),
    tier: one(eucaim('interoperabilityLevel'), TIERS),
    type: one(dct('type'), DATASET_TYPES),
    accessRights: one(dct('accessRights'), ACCESS_RIGHTS),
    hdab: readAgent(r, r.nodes(s, healthdcatap('hdab'))[0])?.name ?? r.text(s, healthdcatap('hdab')),
    publisher: readAgent(r, r.nodes(s, dct('publisher'))[0]),
    contactPoint:
      cp &&
      compact({ name: r.text(cp, vcard('fn')), email: mailto(r.iriValue(cp, vcard('hasEmail'))), url: r.iriValue(cp, vcard('hasURL')) }),
    subjects: r.number(s, healthdcatap('numberOfUniqueIndividuals')),
    studies: r.number(s, healthdcatap('numberOfRecords')),
    hasStructuredData: hasStructured === undefined ? undefined : hasStructured === 'true' || hasStructured === '1',
    condition:
      r.objects(s, eucaim('hasCondition')).length > 1
        ? r.codes(s, eucaim('hasCondition'), CONDITIONS)
        : one(eucaim('hasCondition'), CONDITIONS),
    keywords: nonEmpty(r.texts(s, dcat('keyword'))),
    provenance: prov ? r.text(prov, rdfs('label')) : r.text(s, dct('provenance')),
    distributions: nonEmpty(r.nodes(s, dcat('distribution')).map((d) => compact(readDistribution(r, d)))),
    seriesId: seriesIdOf(r, r.nodes(s, dcat('inSeries'))[0]),
    purpose: nonEmpty(r.texts(s, dpv('hasPurpose'))),
    legalBasis: nonEmpty(r.texts(s, dpv('hasLegalBasis'))),
    personalData: nonEmpty(r.texts(s, dpv('hasPersonalData'))),
    ageRange: min === undefined && max === undefined ? undefined : { min, max },
    retentionPeriod: rp && defined({ start: r.text(rp, dcat('startDate')), end: r.text(rp, dcat('endDate')) }),
    custodian: readAgent(r, r.nodes(s, geodcatap('custodian'))[0]),
    landingPage: r.iriValue(s, dcat('landingPage')),
    qualityAnnotation: qa ? r.text(qa, rdfs('comment')) : undefined,
    ...Object.fromEntries(CODE_LISTS.map(([field, p, v]) => [field, nonEmpty(r.codes(s, p, v))])),
    segmentation: defined({
      labels: nonEmpty(r.texts(s, eucaim('segmentationLabel'))),
      method: r.text(s, eucaim('segmentationMethod')),
      count: r.number(s, eucaim('numberOfSegmentations')),
    }),
    spatialResolution: r.text(s, dcat('spatialResolutionInMeters')),
    temporalResolution: r.text(s, dcat('temporalResolution')),
    secondaryIdentifiers: nonEmpty(r.nodes(s, adms('identifier')).flatMap((b) => r.texts(b, skos('notation')))),
  });
}
