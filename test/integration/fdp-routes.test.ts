import jsonld from 'jsonld';
import { Parser, type Quad, Store, Writer } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../../shared/catalogue/profile.ts';
import { errorBodySchema } from '../../shared/errors.ts';
import { fdpIris } from '../../functions/fdp/iris.ts';
import { RdfReader, rdfToDataset } from '../../functions/fdp/rdf-to-dataset.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { getRdf, parseRdfXml, seedDatasets } from './fdp-support.ts';

const LDP = 'http://www.w3.org/ns/ldp#';

let hub: TestHub;
let published: DatasetRecord[];
let draft: DatasetRecord;
let withdrawn: DatasetRecord;

beforeAll(async () => {
  hub = await startTestHub();
  const seed = await seedDatasets(hub);
  published = [
    await seed.make('First published', 'published'),
    await seed.make('Second published', 'published'),
    await seed.make('Third published', 'published'),
  ];
  published.sort((a, b) => a.id.localeCompare(b.id));
  draft = await seed.make('A draft', 'draft');
  withdrawn = await seed.make('Withdrawn one', 'withdrawn');
});
afterAll(async () => hub?.stop());

const contained = (text: string, base: string) =>
  new Store(new Parser({ format: 'text/turtle', baseIRI: base }).parse(text)).getObjects(null, `${LDP}contains`, null).map((o) => o.value);

describe('the hub FAIR Data Point', () => {
  it('answers the repository record anonymously, in Turtle by default, containing the catalog', async () => {
    const { res, text } = await getRdf(`${hub.url}/fdp`, { accept: '' });
    expect(res.status, text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/turtle/);
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(contained(text, `${hub.url}/fdp`)).toEqual([fdpIris(hub.url).catalog('eucaim')]);
    for (const p of ['metadataIdentifier', 'metadataIssued', 'metadataModified']) expect(text).toContain(`fdp:${p}`);
    expect(text).toContain('ldp:DirectContainer');
  });

  it('lists published datasets in the catalog, never drafts or withdrawn ones', async () => {
    const { res, text } = await getRdf(`${hub.url}/fdp/catalog/eucaim?size=100`);
    expect(res.status, text).toBe(200);
    const iris = fdpIris(hub.url);
    expect(contained(text, res.url)).toEqual(published.map((d) => iris.dataset(d.id)));
    expect(text).not.toContain(draft.id);
    expect(text).not.toContain(withdrawn.id);
  });

  it('pages the catalog with ?page=&size= and Link headers', async () => {
    const first = await getRdf(`${hub.url}/fdp/catalog/eucaim?page=0&size=2`);
    const link = first.res.headers.get('link') ?? '';
    expect(link).toContain(`<${hub.url}/fdp/catalog/eucaim?page=1&size=2>; rel="next"`);
    expect(link).toContain('rel="last"');
    expect(contained(first.text, first.res.url)).toHaveLength(2);
    const second = await getRdf(`${hub.url}/fdp/catalog/eucaim?page=1&size=2`);
    expect(second.res.headers.get('link')).not.toContain('rel="next"');
    expect(contained(second.text, second.res.url)).toEqual([fdpIris(hub.url).dataset(published[2]!.id)]);
  });

  it('serves a dataset record that reads back as the registered metadata', async () => {
    const d = published[0]!;
    const { res, text, quads } = await getRdf(`${hub.url}/fdp/dataset/${d.id}`);
    expect(res.status).toBe(200);
    const store = new Store(quads());
    const subject = store.getSubjects(null, null, null).find((s) => s.value === fdpIris(hub.url).dataset(d.id))!;
    expect(rdfToDataset(new RdfReader(store), subject)).toEqual(d.metadata);
    expect(contained(text, res.url)).toEqual([1, 2].map((n) => fdpIris(hub.url).distribution(d.id, n)));
  });

  it('serves each distribution record and 404 for one that does not exist', async () => {
    const d = published[0]!;
    const one = await getRdf(`${hub.url}/fdp/distribution/${d.id}/1`);
    expect(one.res.status, one.text).toBe(200);
    expect(one.text).toContain('dcat:Distribution');
    const none = await fetch(`${hub.url}/fdp/distribution/${d.id}/9`);
    expect(none.status).toBe(404);
  });

  it('answers a draft as never issued (404) and a withdrawn dataset with 410 and a tombstone', async () => {
    const gone = await getRdf(`${hub.url}/fdp/dataset/${withdrawn.id}`);
    expect(gone.res.status).toBe(410);
    expect(gone.text).toContain('http://purl.org/adms/status/Withdrawn');
    expect(gone.text).toContain('consent <revoked> by the hospital');
    const dist = await fetch(`${hub.url}/fdp/distribution/${withdrawn.id}/1`);
    expect(dist.status).toBe(410);
    for (const url of [`/fdp/dataset/${draft.id}`, `/fdp/distribution/${draft.id}/1`, `/fdp/dataset/${crypto.randomUUID()}`]) {
      const res = await fetch(hub.url + url);
      const body = errorBodySchema.parse(await res.json());
      expect(res.status, url).toBe(404);
      expect(body.error.code).toBe('not_found');
    }
  });
});

describe('content negotiation', () => {
  const url = () => `${hub.url}/fdp/dataset/${published[0]!.id}`;
  const canonical = async (doc: object) => jsonld.canonize(doc, { algorithm: 'URDNA2015', format: 'application/n-quads' });

  it.each([
    { accept: 'application/ld+json', type: 'application/ld+json' },
    { accept: 'application/n-triples', type: 'application/n-triples' },
    { accept: 'text/turtle;q=0.5, application/ld+json;q=0.9', type: 'application/ld+json' },
    { accept: 'application/ld+json;q=0, */*;q=0.1', type: 'text/turtle' },
    { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', type: 'text/turtle' },
  ])('answers Accept "$accept" with $type', async ({ accept, type }) => {
    const res = await fetch(url(), { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
  });

  it('serves the same graph as JSON-LD, N-Triples and Turtle', async () => {
    const [ld, nt, ttl] = await Promise.all(['jsonld', 'nt', 'ttl'].map((f) => fetch(`${url()}?format=${f}`).then((r) => r.text())));
    const fromNt = await jsonld.fromRDF(nt!, { format: 'application/n-quads' });
    const fromTtl = new Store(new Parser({ format: 'text/turtle' }).parse(ttl!)).size;
    expect(await canonical(JSON.parse(ld!))).toBe(await canonical(fromNt));
    expect(new Store(new Parser({ format: 'application/n-triples' }).parse(nt!)).size).toBe(fromTtl);
  });

  it('serves the same graph as RDF/XML', async () => {
    const res = await fetch(url(), { headers: { accept: 'application/rdf+xml' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/rdf\+xml/);
    const fromXml = await parseRdfXml(await res.text(), url());
    const nt = await fetch(`${url()}?format=nt`).then((r) => r.text());
    const nquads = (quads: Quad[]) => new Writer({ format: 'N-Quads' }).quadsToString(quads);
    const canon = async (text: string) => canonical(await jsonld.fromRDF(text, { format: 'application/n-quads' }));
    expect(await canon(nquads(fromXml))).toBe(await canon(nt));
    expect((await fetch(`${url()}?format=rdf`)).headers.get('content-type')).toMatch(/^application\/rdf\+xml/);
  });

  it('refuses an Accept it cannot serve with 406 listing the supported types', async () => {
    const res = await fetch(url(), { headers: { accept: 'application/xml' } });
    const body = errorBodySchema.parse(await res.json());
    expect(res.status).toBe(406);
    expect(body.error.code).toBe('not_acceptable');
    expect(res.headers.get('vary')).toBe('Accept');
    expect(body.error.details).toEqual({
      supported: ['text/turtle', 'application/ld+json', 'application/n-triples', 'application/rdf+xml'],
    });
  });

  it('refuses an unknown ?format= with 400', async () => {
    const res = await fetch(`${url()}?format=rdfxml`);
    expect(res.status).toBe(400);
  });

  it('answers 304 to a matching If-None-Match, per format', async () => {
    const first = await fetch(url());
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\//);
    const again = await fetch(url(), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const other = await fetch(url(), { headers: { 'if-none-match': etag, accept: 'application/ld+json' } });
    expect(other.status).toBe(200);
  });
});
