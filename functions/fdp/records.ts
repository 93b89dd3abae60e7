// The FAIR Data Point's records: repository -> catalog -> dataset -> distribution, each with the
// FDP's own metadata (identifier, issued, modified, profile) and an LDP container of its children.
import { DataFactory, type NamedNode } from 'n3';
import { DEFAULT_MEDIA_TYPE, type DatasetRecord, type DatasetSeries, type Network } from '../../shared/catalogue/profile.ts';
import { datasetToRdf, publisherIri, writeAgent, writeDistribution } from './dataset-to-rdf.ts';
import { Graph, bool, dateTime, en, str } from './graph.ts';
import type { FdpIris, FdpLayer } from './iris.ts';
import { ADMS_WITHDRAWN, IANA_MEDIA_TYPES, adms, datacite, dcat, dct, eucaim, fdp, ldp, owl, r3d, skos } from './namespaces.ts';

const { namedNode } = DataFactory;

/** What the hub says about itself; `version` is that of this record layout, not of the hub. */
export interface FdpSelf {
  iris: FdpIris;
  publisher: string;
}
export const FDP_LAYOUT_VERSION = '1.0';

interface RecordTimes {
  issued: string | Date;
  modified: string | Date;
}

function recordMetadata(g: Graph, s: NamedNode, self: FdpSelf, layer: FdpLayer, times: RecordTimes, parent?: string) {
  const id = namedNode(`${s.value}#identifier`);
  g.add(s, fdp('metadataIdentifier'), id)
    .type(id, datacite('Identifier'))
    .add(id, dct('identifier'), str(s.value))
    .add(s, fdp('metadataIssued'), dateTime(times.issued))
    .add(s, fdp('metadataModified'), dateTime(times.modified))
    .add(s, dct('conformsTo'), namedNode(self.iris.profile(layer)))
    .add(s, dct('isPartOf'), parent ? namedNode(parent) : undefined);
}

/** An `ldp:DirectContainer` of `members`, with the membership triples it stands for. */
function container(g: Graph, s: NamedNode, name: string, relation: NamedNode, members: string[]) {
  const c = namedNode(`${s.value}#${name}`);
  g.type(c, ldp('DirectContainer'))
    .add(c, dct('title'), en(name))
    .add(c, ldp('membershipResource'), s)
    .add(c, ldp('hasMemberRelation'), relation);
  for (const m of members) g.add(c, ldp('contains'), namedNode(m)).add(s, relation, namedNode(m));
}

function publisher(g: Graph, s: NamedNode, self: FdpSelf) {
  writeAgent(g, s, dct('publisher'), { name: self.publisher });
}

export function repositoryRecord(self: FdpSelf, catalogs: string[], times: RecordTimes): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.repository);
  g.type(s, r3d('Repository'), fdp('FAIRDataPoint'))
    .add(s, dct('title'), en('EUCAIM federation FAIR Data Point'))
    .add(
      s,
      dct('description'),
      en('Published datasets of the EUCAIM federation (Cancer Image Europe), described with the EUCAIM DCAT-AP profile.'),
    )
    .add(s, dcat('version'), str(FDP_LAYOUT_VERSION));
  publisher(g, s, self);
  recordMetadata(g, s, self, 'repository', times);
  container(
    g,
    s,
    'catalogs',
    fdp('metadataCatalog'),
    catalogs.map((id) => self.iris.catalog(id)),
  );
  return g;
}

function writeNetwork(g: Graph, self: FdpSelf, n: Network) {
  const s = namedNode(self.iris.network(n.id));
  g.type(s, eucaim('Network'))
    .add(s, dct('identifier'), str(n.id))
    .add(s, dct('title'), en(n.title))
    .add(s, dct('description'), en(n.description));
}

export function writeSeries(g: Graph, self: FdpSelf, series: DatasetSeries, network?: Network) {
  const s = namedNode(self.iris.series(series.id));
  g.type(s, dcat('DatasetSeries'))
    .add(s, dct('identifier'), str(series.id))
    .add(s, dct('title'), en(series.title))
    .add(s, dct('description'), en(series.description))
    .add(s, dct('isPartOf'), namedNode(self.iris.network(series.networkId)));
  writeAgent(g, s, dct('publisher'), series.publisher);
  if (network) writeNetwork(g, self, network);
}

/** One page of the catalog: its datasets (ids), and every series and network the catalogue holds. */
export function catalogRecord(
  self: FdpSelf,
  catalogId: string,
  datasetIds: string[],
  hierarchy: { series: DatasetSeries[]; networks: Network[] },
  times: RecordTimes,
): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.catalog(catalogId));
  g.type(s, dcat('Catalog'))
    .add(s, dct('title'), en('EUCAIM public catalogue'))
    .add(s, dct('description'), en('Imaging datasets of the federation, grouped in imaging biobanks (dataset series) and networks.'))
    .add(s, dcat('version'), str(FDP_LAYOUT_VERSION))
    .add(s, dcat('themeTaxonomy'), namedNode('http://publications.europa.eu/resource/authority/data-theme'));
  publisher(g, s, self);
  recordMetadata(g, s, self, 'catalog', times, self.iris.repository);
  container(
    g,
    s,
    'datasets',
    dcat('dataset'),
    datasetIds.map((id) => self.iris.dataset(id)),
  );
  for (const series of hierarchy.series) writeSeries(g, self, series);
  for (const n of hierarchy.networks) writeNetwork(g, self, n);
  return g;
}

/**
 * The reference shapes ask every distribution for a title, a publisher, a version and exactly one
 * media type, which the profile does not: the FDP states the dataset's publisher and version, a
 * title naming the dataset and, when none is given, the profile's DEFAULT_MEDIA_TYPE.
 */
function distributionExtras(g: Graph, self: FdpSelf, record: DatasetRecord, n: number) {
  const s = namedNode(self.iris.distribution(record.id, n));
  const d = record.metadata.distributions[n - 1];
  if (!d) return;
  if (!d.title) g.add(s, dct('title'), en(`Distribution ${n} of ${record.metadata.title}`));
  if (!d.mediaType) g.add(s, dcat('mediaType'), namedNode(IANA_MEDIA_TYPES + DEFAULT_MEDIA_TYPE));
  g.add(s, dcat('version'), str(record.metadata.version));
  writeAgent(g, s, dct('publisher'), record.metadata.publisher, publisherIri(self.iris.dataset(record.id)));
}

const times = (r: DatasetRecord): RecordTimes => ({ issued: r.publishedAt ?? r.issuedAt, modified: r.modifiedAt });

export function datasetRecord(self: FdpSelf, catalogId: string, record: DatasetRecord, series?: DatasetSeries, network?: Network): Graph {
  const g = datasetToRdf(record.metadata, record.id, self.iris);
  const s = namedNode(self.iris.dataset(record.id));
  g.add(s, dct('issued'), dateTime(record.publishedAt ?? record.issuedAt)).add(s, dct('modified'), dateTime(record.modifiedAt));
  recordMetadata(g, s, self, 'dataset', times(record), self.iris.catalog(catalogId));
  const distributions = record.metadata.distributions.map((_, i) => i + 1);
  for (const n of distributions) distributionExtras(g, self, record, n);
  // datasetToRdf already states dcat:distribution; the container adds the LDP view of the same links.
  const c = namedNode(`${s.value}#distributions`);
  g.type(c, ldp('DirectContainer'))
    .add(c, dct('title'), en('distributions'))
    .add(c, ldp('membershipResource'), s)
    .add(c, ldp('hasMemberRelation'), dcat('distribution'));
  for (const n of distributions) g.add(c, ldp('contains'), namedNode(self.iris.distribution(record.id, n)));
  if (series) writeSeries(g, self, series, network);
  return g;
}

export function distributionRecord(self: FdpSelf, record: DatasetRecord, n: number): Graph | null {
  const d = record.metadata.distributions[n - 1];
  if (!d) return null;
  const g = new Graph();
  const s = namedNode(self.iris.distribution(record.id, n));
  writeDistribution(g, s, d);
  distributionExtras(g, self, record, n);
  recordMetadata(g, s, self, 'distribution', times(record), self.iris.dataset(record.id));
  return g;
}

/** What a withdrawn dataset's record says instead: who it was, that it is withdrawn, when and why. */
export function tombstoneRecord(self: FdpSelf, record: DatasetRecord): Graph {
  const g = new Graph();
  const s = namedNode(self.iris.dataset(record.id));
  return g
    .add(s, dct('identifier'), str(record.id))
    .add(s, dct('title'), en(record.metadata.title))
    .add(s, owl('deprecated'), bool(true))
    .add(s, adms('status'), namedNode(ADMS_WITHDRAWN))
    .add(s, dct('modified'), dateTime(record.withdrawnAt))
    .add(s, skos('changeNote'), en(record.withdrawnReason ?? 'withdrawn'));
}
