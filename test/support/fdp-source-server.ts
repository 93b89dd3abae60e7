// A second FAIR Data Point on loopback, for harvest tests: a node's FDP written with n3 (root ->
// one catalog paged one dataset per page -> datasets), and the ways a real source goes wrong.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import type { DatasetMetadata, DatasetSeries, Network } from '../../shared/catalogue/profile.ts';
import { datasetToRdf } from '../../functions/fdp/dataset-to-rdf.ts';
import { Graph, dateTime, en } from '../../functions/fdp/graph.ts';
import { fdpIris } from '../../functions/fdp/iris.ts';
import { dcat, dct, ldp, r3d } from '../../functions/fdp/namespaces.ts';
import { writeSeries } from '../../functions/fdp/records.ts';
import { serialize } from '../../functions/fdp/serialize.ts';

const { namedNode } = DataFactory;

export interface SourceDataset {
  id: string;
  metadata: DatasetMetadata;
  modified: string;
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
  const state = { mode: 'ok' as SourceMode, onDataset: undefined as (() => void) | undefined };
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iris = fdpIris(origin);
  const catalog = `${origin}/fdp/catalog/main`;

  const turtle = async (res: ServerResponse, g: Graph, padding = '') => {
    const { body } = await serialize(g.quads, 'ttl');
    res.writeHead(200, { 'content-type': 'text/turtle' }).end(body + padding);
  };
  const pad = () => (state.mode === 'fat' ? `# ${'x'.repeat(200 * 1024)}\n` : '');

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    if (state.mode === 'down') return void res.writeHead(503).end('maintenance');
    if (url.pathname === '/fdp') {
      const g = new Graph();
      const root = namedNode(`${origin}/fdp`);
      const c = namedNode(`${origin}/fdp#catalogs`);
      g.type(root, r3d('Repository')).add(root, dct('title'), en('Node FDP'));
      g.type(c, ldp('DirectContainer')).add(c, ldp('membershipResource'), root).add(c, ldp('contains'), namedNode(catalog));
      if (state.mode === 'off-origin-link' && opts.elsewhere) g.add(c, ldp('contains'), namedNode(opts.elsewhere));
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
      const all = [...datasets.keys()].sort();
      const page = Number(url.searchParams.get('page') ?? 0);
      const g = new Graph();
      const s = namedNode(catalog);
      const c = namedNode(`${catalog}#datasets`);
      g.type(s, dcat('Catalog')).add(s, dct('title'), en('Node catalog'));
      g.type(c, ldp('DirectContainer')).add(c, ldp('membershipResource'), s).add(c, ldp('hasMemberRelation'), dcat('dataset'));
      const members =
        state.mode === 'many-links'
          ? Array.from({ length: 100 }, (_, i) => `${origin}/fdp/filler/${i}`)
          : all.slice(page, page + 1).map((id) => iris.dataset(id));
      for (const m of members) g.add(c, ldp('contains'), namedNode(m));
      // One dataset per page, so every harvest also walks the paging.
      if (state.mode !== 'many-links' && page + 1 < all.length) res.setHeader('link', `<${catalog}?page=${page + 1}&size=1>; rel="next"`);
      return turtle(res, g, pad());
    }
    if (url.pathname.startsWith('/fdp/filler/')) return turtle(res, new Graph().add(namedNode(url.toString()), dct('title'), en('filler')));
    const id = /^\/fdp\/dataset\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
    const d = id ? datasets.get(id) : undefined;
    if (!d) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
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
    const g = datasetToRdf(d.metadata, d.id, iris);
    g.add(namedNode(iris.dataset(d.id)), dct('modified'), dateTime(d.modified));
    writeSeries(g, { iris, publisher: 'Node' }, opts.series, opts.network);
    return turtle(res, g, pad());
  }

  return {
    url: `${origin}/fdp`,
    origin,
    datasets,
    requests,
    setMode(mode: SourceMode) {
      state.mode = mode;
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
