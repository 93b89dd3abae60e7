// The FAIR Data Point's records: repository -> catalog -> dataset -> distribution, each typed as the
// reference FAIR Data Point types it (the record's class and `dcat:Resource`; the root also
// `fdp:FAIRDataPoint`, `fdp:MetadataService`, `dcat:DataService`), with the FDP's own metadata
// (identifier, issued, modified, profile) and an LDP container of its children.
import { DataFactory, type NamedNode } from 'n3';
import pkg from '../../package.json' with { type: 'json' };
import type { DatasetRecord, DatasetSeries, Network } from '../../shared/catalogue/profile.ts';
import { THEME_HEALTH } from '../../shared/catalogue/vocabularies.ts';
import { datasetToRdf, writeAgent, writeDistribution } from './dataset-to-rdf.ts';
import { Graph, bool, dateTime, en, str } from './graph.ts';
import { type FdpIris, type FdpLayer, part } from './iris.ts';
import { ADMS_WITHDRAWN, adms, datacite, dcat, dct, fdp, foaf, ldp, owl, prov, skos } from './namespaces.ts';
import { typeLinkedIris } from './ranges.ts';

const { namedNode } = DataFactory;

/** What the hub says about itself; `version` is that of this record layout, not of the hub. */
export interface FdpSelf {
  iris: FdpIris;
  publisher: string;
}
export const FDP_LAYOUT_VERSION = '2.0';
/** `fdp:fdpSoftwareVersion`, as the reference FDP states its own ("FDP:1.17.0"). */
export const FDP_SOFTWARE_VERSION = `EUCAIM hub:${pkg.version}`;

interface RecordTimes {
  issued: string | Date;
  modified: string | Date;
}

function recordMetadata(g: Graph, s: NamedNode, self: FdpSelf, layer: FdpLayer, times: RecordTimes, parent?: string) {
  const id = namedNode(part(s.value, 'identifier'));
  const profile = namedNode(self.iris.profile(layer));
  g.add(s, fdp('metadataIdentifier'), id)
    .type(id, datacite('Identifier'))
    .add(id, dct('identifier'), str(s.value))
    .add(s, fdp('metadataIssued'), dateTime(times.issued))
    .add(s, fdp('metadataModified'), dateTime(times.modified))
    .add(s, dct('conformsTo'), profile)
    .add(s, dct('isPartOf'), parent ? namedNode(parent) : undefined);
}

/** An `ldp:DirectContainer` of `members`, with the membership triples it stands for. */
function container(g: Graph, s: NamedNode, name: string, relation: NamedNode, members: string[]) {
  const c = namedNode(part(s.value, name));
  g.type(c, ldp('DirectContainer'))
    .add(c, dct('title'), en(name))
    .add(c, ldp('membershipResource'), s)
    .add(c, ldp('hasMemberRelation'), relation);
  for (const m of members) g.add(c, ldp('contains'), namedNode(m)).add(s, relation, namedNode(m));
}

const hubPublisher = (g: Graph, s: NamedNode, self: FdpSelf) =>
  writeAgent(g, s, dct('publisher'), { name: self.publisher }, namedNode(part(self.iris.repository, 'publisher')));

export function repositoryRecord(self: FdpSelf, catalogs: string[], times: RecordTimes): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.repository);
  g.type(s, fdp('FAIRDataPoint'), fdp('MetadataService'), dcat('DataService'), dcat('Resource'))
    .add(s, dct('title'), en('EUCAIM federation FAIR Data Point'))
    .add(
      s,
      dct('description'),
      en('Published datasets of the EUCAIM federation (Cancer Image Europe), described with EUCAIM DCAT-AP v2.0.'),
    )
    .add(s, dcat('version'), str(FDP_LAYOUT_VERSION))
    .add(s, dcat('endpointURL'), s)
    .add(s, fdp('fdpSoftwareVersion'), str(FDP_SOFTWARE_VERSION));
  hubPublisher(g, s, self);
  recordMetadata(g, s, self, 'repository', times);
  container(
    g,
    s,
    'catalogs',
    fdp('metadataCatalog'),
    catalogs.map((id) => self.iris.catalog(id)),
  );
  return typeLinkedIris(g, self.iris.vocabulary);
}

/** A network of imaging biobanks: an organisation the series belong to (`dct:isPartOf`). */
export function writeNetwork(g: Graph, self: FdpSelf, n: Network) {
  const s = namedNode(self.iris.network(n.id));
  g.type(s, foaf('Organization'))
    .add(s, dct('identifier'), str(n.id))
    .add(s, foaf('name'), str(n.title))
    .add(s, dct('title'), en(n.title))
    .add(s, dct('description'), en(n.description));
}

/** A `dcat:DatasetSeries` ("imaging biobank"), the same triples wherever it is written. */
export function writeSeries(g: Graph, self: FdpSelf, series: DatasetSeries, network?: Network) {
  const s = namedNode(self.iris.series(series.id));
  g.type(s, dcat('DatasetSeries'))
    .add(s, dct('identifier'), str(series.id))
    .add(s, dct('title'), en(series.title))
    .add(s, dct('description'), en(series.description))
    .add(s, dct('isPartOf'), namedNode(self.iris.network(series.networkId)));
  writeAgent(g, s, dct('publisher'), series.publisher, namedNode(part(s.value, 'publisher')));
  if (network) writeNetwork(g, self, network);
}

/** What a catalog page says about each dataset it lists: what DCAT-AP asks of a dataset, as the record says it. */
function listedDataset(g: Graph, self: FdpSelf, d: DatasetRecord) {
  const s = namedNode(self.iris.dataset(d.id));
  g.type(s, dcat('Dataset'))
    .add(s, dct('title'), en(d.metadata.title))
    .add(s, dct('description'), en(d.metadata.description))
    .add(s, dcat('theme'), namedNode(THEME_HEALTH.iri));
}

/** One page of the catalog: its datasets, and every series and network the catalogue holds. */
export function catalogRecord(
  self: FdpSelf,
  catalogId: string,
  datasets: DatasetRecord[],
  hierarchy: { series: DatasetSeries[]; networks: Network[] },
  times: RecordTimes,
): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.catalog(catalogId));
  g.type(s, dcat('Catalog'), dcat('Resource'))
    .add(s, dct('title'), en('EUCAIM public catalogue'))
    .add(s, dct('description'), en('Imaging datasets of the federation, grouped in imaging biobanks (dataset series) and networks.'))
    .add(s, dcat('version'), str(FDP_LAYOUT_VERSION))
    .add(s, dct('issued'), dateTime(times.issued))
    .add(s, dct('modified'), dateTime(times.modified))
    .add(s, dcat('themeTaxonomy'), namedNode('http://publications.europa.eu/resource/authority/data-theme'));
  hubPublisher(g, s, self);
  // No dct:isPartOf to the repository: DCAT-AP allows only a catalog there; fdp:metadataCatalog links them.
  recordMetadata(g, s, self, 'catalog', times);
  container(
    g,
    s,
    'datasets',
    dcat('dataset'),
    datasets.map((d) => self.iris.dataset(d.id)),
  );
  for (const d of datasets) listedDataset(g, self, d);
  const networks = new Map(hierarchy.networks.map((n) => [n.id, n]));
  for (const series of hierarchy.series) writeSeries(g, self, series, networks.get(series.networkId));
  return typeLinkedIris(g, self.iris.vocabulary);
}

const aDate = (v: string | null | undefined) => (v && !Number.isNaN(Date.parse(v)) ? v : undefined);

/** The record's dates: a harvested dataset keeps its source's (when they are dates), a registered one has the hub's. */
function datasetTimes(r: DatasetRecord): RecordTimes {
  return {
    issued: aDate(r.source?.issued) ?? r.publishedAt ?? r.issuedAt,
    modified: aDate(r.source?.modified) ?? r.modifiedAt,
  };
}

export function datasetRecord(self: FdpSelf, catalogId: string, record: DatasetRecord, series?: DatasetSeries, network?: Network): Graph {
  const g = datasetToRdf(record.metadata, record.id, self.iris);
  const s = namedNode(self.iris.dataset(record.id));
  const times = datasetTimes(record);
  g.add(s, dct('issued'), dateTime(times.issued)).add(s, dct('modified'), dateTime(times.modified));
  if (record.source) {
    // The link back to the record this one was harvested from, and the source's own identifier.
    g.add(s, prov('wasDerivedFrom'), namedNode(record.source.iri));
    const sourceId = record.source.identifier;
    if (sourceId) g.node(s, adms('identifier'), (b) => g.type(b, adms('Identifier')).add(b, skos('notation'), str(sourceId)));
  }
  recordMetadata(g, s, self, 'dataset', times, self.iris.catalog(catalogId));
  // datasetToRdf already states dcat:distribution; the container adds the LDP view of the same links.
  const c = namedNode(part(s.value, 'distributions'));
  g.type(c, ldp('DirectContainer'))
    .add(c, dct('title'), en('distributions'))
    .add(c, ldp('membershipResource'), s)
    .add(c, ldp('hasMemberRelation'), dcat('distribution'));
  record.metadata.distributions.forEach((_, i) => {
    g.add(c, ldp('contains'), namedNode(self.iris.distribution(record.id, i + 1)));
  });
  if (series) writeSeries(g, self, series, network);
  return typeLinkedIris(g, self.iris.vocabulary);
}

export function distributionRecord(self: FdpSelf, record: DatasetRecord, n: number): Graph | null {
  const d = record.metadata.distributions[n - 1];
  if (!d) return null;
  const g = new Graph();
  const s = namedNode(self.iris.distribution(record.id, n));
  const m = record.metadata;
  const publisherIri = namedNode(part(self.iris.dataset(record.id), 'publisher'));
  writeDistribution(g, s, d, { datasetTitle: m.title, version: m.version, publisher: m.publisher, publisherIri, n });
  recordMetadata(g, s, self, 'distribution', datasetTimes(record), self.iris.dataset(record.id));
  return typeLinkedIris(g, self.iris.vocabulary);
}

/**
 * What a withdrawn dataset's record says instead: who it was, that it is withdrawn, when and why.
 * Still a `dcat:Dataset` with what DCAT-AP and the reference shapes ask of one, so harvesters that
 * keep it as metadata keep a valid record.
 */
export function tombstoneRecord(self: FdpSelf, record: DatasetRecord): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.dataset(record.id));
  const reason = record.withdrawnReason ?? 'withdrawn';
  g.type(s, dcat('Dataset'), dcat('Resource'))
    .add(s, dct('identifier'), str(self.iris.cataloguePage(record.id)))
    .add(s, dct('title'), en(record.metadata.title))
    .add(s, dct('description'), en(`Withdrawn from the EUCAIM catalogue: ${reason}`))
    .add(s, dcat('version'), str(String(record.version)))
    .add(s, dcat('theme'), namedNode(THEME_HEALTH.iri))
    .add(s, owl('deprecated'), bool(true))
    .add(s, adms('status'), namedNode(ADMS_WITHDRAWN))
    .type(namedNode(ADMS_WITHDRAWN), skos('Concept'))
    .add(namedNode(ADMS_WITHDRAWN), skos('prefLabel'), en('Withdrawn'))
    .add(s, dct('modified'), dateTime(record.withdrawnAt))
    .add(s, skos('changeNote'), en(reason));
  hubPublisher(g, s, self);
  return typeLinkedIris(g, self.iris.vocabulary);
}
