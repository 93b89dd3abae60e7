// A node's FAIR Data Point on loopback, for harvest tests, in two layouts:
// - `containers`: as the hub's own FDP writes it (LDP containers, one catalog paged one dataset per
//   page, datasets with a UUID dct:identifier written by the hub's mapping);
// - `reference`: as the reference FAIR Data Point (FAIRDataTeam/FAIRDataPoint) serves records to a
//   harvester that does not follow containers — no LDP containers; the root typed
//   fdp:FAIRDataPoint/fdp:MetadataService/dcat:DataService/dcat:Resource linking its catalog with
//   fdp:metadataCatalog (MetadataEnhancer, Rdf_Migration_0003_FDPO), the catalog listing its datasets
//   with dcat:dataset and a dataset its distributions with dcat:distribution (ResourceDefinition
//   children), records at `{base}/{prefix}/{uuid}` with `fdp:metadataIdentifier <…#identifier>` and
//   no UUID dct:identifier (the UUID is only in the IRI), dct:issued/dct:modified on every record.
// Datasets are written by the hub's mapping (`hub`) or hand-written to EUCAIM DCAT-AP v2.0 (`v2`,
// test/support/eucaim-v2-records.ts). And the ways a real source goes wrong.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import type { DatasetMetadata, DatasetSeries, Network } from '../../shared/catalogue/profile.ts';
import { datasetToRdf } from '../../functions/fdp/dataset-to-rdf.ts';
import { Graph, dateTime, en, str } from '../../functions/fdp/graph.ts';
import { fdpIris } from '../../functions/fdp/iris.ts';
import { datacite, dcat, dct, fdp, ldp } from '../../functions/fdp/namespaces.ts';
import { writeSeries } from '../../functions/fdp/records.ts';
import { serialize } from '../../functions/fdp/serialize.ts';
import { v2DatasetTurtle } from './eucaim-v2-records.ts';

const { namedNode } = DataFactory;

export interface SourceDataset {
  id: string;
  metadata: DatasetMetadata;
  modified: string;
  /** Who wrote the record: the hub's mapping, or a node writing EUCAIM DCAT-AP v2.0 by hand. */
  style?: 'hub' | 'v2';
  /** The path segment of its IRI when it is not the UUID, and then its `dct:identifier` too (a source that gives no UUID). */
  slug?: string;
}

export type SourceMode =
  | 'ok'
  | 'down'
  | 'hang'
  | 'redirect-loop'
  | 'redirect-off-origin'
  | 'off-origin-link'
  | 'html'
  | 'invalid'
  | 'huge'
  | 'fat'
  | 'many-links';

export type FdpSource = Awaited<ReturnType<typeof startFdpSource>>;

export async function startFdpSource(opts: { series: DatasetSeries; network: Network; elsewhere?: string }) {
  const datasets = new Map<string, SourceDataset>();
  const requests: string[] = [];
  /** Datasets the catalog lists whose records answer 404 (a broken child). */
  const missing = new Set<string>();
  const state = {
    mode: 'ok' as SourceMode,
    layout: 'containers' as 'containers' | 'reference',
    onDataset: undefined as (() => void) | undefined,
  };
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iris = fdpIris(origin);
  const catalog = `${origin}/fdp/catalog/main`;
  const segment = (d: SourceDataset) => d.slug ?? d.id;
  const datasetIri = (d: SourceDataset) => `${origin}/fdp/dataset/${segment(d)}`;
  const distributionIri = (d: SourceDataset) => `${origin}/fdp/distribution/${segment(d)}/1`;

  const turtle = async (res: ServerResponse, g: Graph, padding = '') => {
    const { body } = await serialize(g.quads, 'ttl');
    res.writeHead(200, { 'content-type': 'text/turtle' }).end(body + padding);
  };
  const pad = () => (state.mode === 'fat' ? `# ${'x'.repeat(240 * 1024)}\n` : '');
  /** What the reference FDP adds to every record it serves. */
  const referenceRecord = (g: Graph, iri: string, modified: string) => {
    const s = namedNode(iri);
    const id = namedNode(`${iri}#identifier`);
    g.add(s, fdp('metadataIdentifier'), id)
      .type(id, datacite('Identifier'))
      .add(id, dct('identifier'), str(iri))
      .add(s, dct('issued'), dateTime('2025-01-01T00:00:00Z'))
      .add(s, dct('modified'), dateTime(modified));
  };
  const container = (g: Graph, of: string, relation: 'metadataCatalog' | 'dataset', members: string[]) => {
    if (state.layout === 'reference') return;
    const c = namedNode(`${of}#children`);
    g.type(c, ldp('DirectContainer'))
      .add(c, ldp('membershipResource'), namedNode(of))
      .add(c, ldp('hasMemberRelation'), relation === 'dataset' ? dcat('dataset') : fdp('metadataCatalog'));
    for (const m of members) g.add(c, ldp('contains'), namedNode(m));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    if (state.mode === 'down') return void res.writeHead(503).end('maintenance');
    if (url.pathname === '/fdp') {
      const g = new Graph();
      const root = namedNode(`${origin}/fdp`);
      g.type(root, fdp('FAIRDataPoint'), fdp('MetadataService'), dcat('DataService'), dcat('Resource'))
        .add(root, dct('title'), en('Node FDP'))
        .add(root, fdp('metadataCatalog'), namedNode(catalog));
      if (state.layout === 'reference') referenceRecord(g, root.value, '2025-01-01T00:00:00Z');
      container(g, root.value, 'metadataCatalog', [catalog]);
      if (state.mode === 'off-origin-link' && opts.elsewhere)
        g.add(namedNode(`${root.value}#children`), ldp('contains'), namedNode(opts.elsewhere));
      return turtle(res, g, pad());
    }
    if (url.pathname === '/fdp/catalog/main') {
      if (state.mode === 'redirect-loop')
        return void res
          .writeHead(302, { location: url.searchParams.has('again') ? '/fdp/catalog/main' : '/fdp/catalog/main?again=1' })
          .end();
      if (state.mode === 'redirect-off-origin')
        return void res.writeHead(302, { location: opts.elsewhere ?? 'http://example.invalid/' }).end();
      if (state.mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a login page</html>');
      const all = [...datasets.values()].sort((a, b) => a.id.localeCompare(b.id));
      const page = Number(url.searchParams.get('page') ?? 0);
      const g = new Graph();
      const s = namedNode(catalog);
      g.type(s, dcat('Catalog'), dcat('Resource')).add(s, dct('title'), en('Node catalog'));
      if (state.layout === 'reference') referenceRecord(g, catalog, '2025-01-01T00:00:00Z');
      const members =
        state.mode === 'many-links'
          ? Array.from({ length: 100 }, (_, i) => `${origin}/fdp/filler/${i}`)
          : all.slice(page, page + 1).map(datasetIri);
      for (const m of members) g.add(s, dcat('dataset'), namedNode(m));
      container(g, catalog, 'dataset', members);
      // One dataset per page, so every harvest also walks the paging.
      if (state.mode !== 'many-links' && page + 1 < all.length) res.setHeader('link', `<${catalog}?page=${page + 1}&size=1>; rel="next"`);
      return turtle(res, g, pad());
    }
    if (url.pathname.startsWith('/fdp/filler/')) return turtle(res, new Graph().add(namedNode(url.toString()), dct('title'), en('filler')));
    const [, kind, key] = /^\/fdp\/(dataset|distribution)\/([^/]+)/.exec(url.pathname) ?? [];
    const d = [...datasets.values()].find((x) => segment(x) === key);
    if (!d || missing.has(d.id)) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if (kind === 'distribution') return distribution(res, d);
    state.onDataset?.();
    if (state.mode === 'hang') return; // never answers; close() destroys the socket
    if (state.mode === 'invalid')
      return void res
        .writeHead(200, { 'content-type': 'text/turtle' })
        .end('@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title "unterminated .\n');
    if (state.mode === 'huge') {
      res.writeHead(200, { 'content-type': 'text/turtle' });
      const chunk = `# ${'y'.repeat(64 * 1024)}\n`;
      // Streams until the harvester hangs up: the only bound is the client's.
      const write = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', write);
      };
      return write();
    }
    return dataset(res, d);
  }

  async function dataset(res: ServerResponse, d: SourceDataset) {
    const iri = datasetIri(d);
    if (d.style === 'v2') {
      const g = new Graph();
      if (state.layout === 'reference') referenceRecord(g, iri, d.modified);
      writeSeries(g, { iris, publisher: 'Node' }, opts.series, opts.network);
      const record = v2DatasetTurtle(
        {
          uuid: d.id,
          ...(d.slug ? { identifier: `ds-${d.slug}` } : {}),
          title: d.metadata.title,
          // The reference FDP states its own dct:issued and dct:modified on every record (MetadataEnhancer).
          ...(state.layout === 'reference' ? {} : { modified: d.modified.slice(0, 10) }),
          iri,
          seriesIri: iris.series(opts.series.id),
        },
        distributionIri(d),
      );
      const { body } = await serialize(g.quads, 'ttl');
      return void res.writeHead(200, { 'content-type': 'text/turtle' }).end(`${record}\n${body}`);
    }
    const g = datasetToRdf(d.metadata, d.id, iris);
    const s = namedNode(iris.dataset(d.id));
    if (state.layout === 'reference') {
      // The reference FDP's record: no UUID dct:identifier; its own metadata identifier and dates.
      g.quads.splice(0, g.quads.length, ...g.quads.filter((q) => !(q.subject.equals(s) && q.predicate.equals(dct('identifier')))));
      referenceRecord(g, iri, d.modified);
    } else g.add(s, dct('modified'), dateTime(d.modified));
    writeSeries(g, { iris, publisher: 'Node' }, opts.series, opts.network);
    return turtle(res, g, pad());
  }

  async function distribution(res: ServerResponse, d: SourceDataset) {
    const g = new Graph();
    const s = namedNode(distributionIri(d));
    g.type(s, dcat('Distribution'), dcat('Resource')).add(s, dct('title'), en(`Distribution of ${d.metadata.title}`));
    if (state.layout === 'reference') referenceRecord(g, s.value, d.modified);
    return turtle(res, g, pad());
  }

  return {
    url: `${origin}/fdp`,
    origin,
    datasets,
    missing,
    requests,
    datasetIri: (id: string) => datasetIri(datasets.get(id) as SourceDataset),
    setMode(mode: SourceMode) {
      state.mode = mode;
    },
    /** `reference`: no LDP containers, as the reference FDP's records read without them. */
    setLayout(layout: 'containers' | 'reference') {
      state.layout = layout;
    },
    /** Called on every dataset request (before its answer): tests move their clock here. */
    onDataset(fn: (() => void) | undefined) {
      state.onDataset = fn;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
