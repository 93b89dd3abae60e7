// The hub's FAIR Data Point, public and read-only: /fdp (repository), /fdp/catalog/{id},
// /fdp/dataset/{uuid}, /fdp/distribution/{uuid}/{n}, the series and networks datasets point to, the
// vocabularies as SKOS, and the SHACL profiles records conform to, /fdp/profile/{layer}. Drafts
// never appear; withdrawn datasets answer 410 with a tombstone record.
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, media, noContent } from '../api/hub-router.ts';
import type { Services } from '../services.ts';
import { catalogueOf, fdpSelf } from './catalogue.ts';
import { CATALOG_ID } from './iris.ts';
import { SUPPORTED_RDF_TYPES } from './negotiate.ts';
import { FDP_LAYERS, SHAPES_MODIFIED, profileRecord } from './profiles.ts';
import {
  catalogRecord,
  datasetRecord,
  distributionRecord,
  repositoryRecord,
  tombstoneRecord,
  writeNetwork,
  writeSeries,
} from './records.ts';
import { Graph } from './graph.ts';
import { typeLinkedIris } from './ranges.ts';
import { VOCABULARY_NAMES, vocabularyRecord } from './vocabulary-rdf.ts';
import { rdfFormat, rdfResponse } from './respond.ts';

export const FDP_PAGE_SIZE = { default: 50, max: 500 } as const;

const formatQuery = z.object({ format: z.string().max(20).optional() });
const pageQuery = formatQuery.extend({
  page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  size: z.coerce.number().int().min(1).max(FDP_PAGE_SIZE.max).default(FDP_PAGE_SIZE.default),
});

/** RFC 8288 links to the other pages of a container, as the reference FDP sends them. */
function pageLinks(url: URL, page: number, size: number, total: number): string {
  const last = Math.max(0, Math.ceil(total / size) - 1);
  const at = (p: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('size', String(size));
    return u.toString();
  };
  const links = [`<${at(0)}>; rel="first"`, `<${at(last)}>; rel="last"`];
  if (page > 0) links.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`);
  return links.join(', ');
}

/** A dataset that may be shown: published, or withdrawn (tombstone). Drafts are as if never issued. */
async function visibleDataset(s: Services, id: string) {
  const record = await catalogueOf(s).dataset(id);
  if (!record || record.state === 'draft') throw new AppError('not_found', `no published dataset ${id}`);
  return record;
}

// The routes, declared once each (all public, read-only); the handlers below take them in order.
const RDF = 'Turtle (the default), JSON-LD, N-Triples or RDF/XML, chosen by `Accept` or `?format=ttl|jsonld|nt|rdf`.';
const rdf = (description: string, headers?: Parameters<typeof media>[2]) => media(SUPPORTED_RDF_TYPES, `${description} ${RDF}`, headers);
const cached = {
  etag: { description: 'weak: the newest change, the format and the page' },
  'last-modified': { description: 'the newest change the record reflects' },
};
const record = {
  access: 'public',
  request: { query: formatQuery },
  errors: { not_acceptable: 'none of the accepted types can be served; `details.supported` lists them' },
} as const;
const unchanged = { 304: noContent('Unchanged since the `If-None-Match` ETag.') };
const GONE = rdf('Withdrawn: the tombstone record (`owl:deprecated`, status, date and reason).');
const repository = defineRoute({
  ...record,
  method: 'get',
  path: '/',
  summary:
    'the FAIR Data Point: Turtle (default), JSON-LD, N-Triples, RDF/XML by `Accept` or `?format=ttl|jsonld|nt|rdf`, 406 `not_acceptable` (with `details.supported`) otherwise',
  responses: { 200: rdf('The repository.', cached), ...unchanged },
});
const catalog = defineRoute({
  ...record,
  method: 'get',
  path: '/catalog/:id',
  summary: 'the catalog record with its datasets, paged (`?page=&size=`) with RFC 8288 `Link` headers',
  description: 'LDP containment of the published datasets; drafts never appear.',
  request: { query: pageQuery },
  responses: { 200: rdf('A page of the catalog.', { ...cached, link: { description: 'first, last, prev and next pages' } }), ...unchanged },
  errors: { ...record.errors, not_found: 'no such catalog (the hub has one: `eucaim`)' },
});
const dataset = defineRoute({
  ...record,
  method: 'get',
  path: '/dataset/:id',
  summary: 'a published dataset record; 410 with an RDF tombstone once withdrawn',
  responses: { 200: rdf('The dataset.', cached), 304: unchanged[304], 410: GONE },
  errors: { ...record.errors, not_found: 'no published dataset with this id (drafts are as if never issued)' },
});
const profile = defineRoute({
  ...record,
  method: 'get',
  path: '/profile/:layer',
  summary: "the SHACL shapes a record's `dct:conformsTo` names (repository, catalog, dataset, distribution)",
  responses: { 200: rdf('The profile with its shapes; cacheable for an hour.', cached), ...unchanged },
  errors: { ...record.errors, not_found: 'no such profile' },
});
const series = defineRoute({
  ...record,
  method: 'get',
  path: '/series/:id',
  summary: 'a dataset series (imaging biobank) that published datasets belong to',
  description: 'One IRI per series, so documents merged by a harvester state it once.',
  responses: { 200: rdf('The series.', cached), ...unchanged },
  errors: { ...record.errors, not_found: 'no series with published datasets' },
});
const network = defineRoute({
  ...record,
  method: 'get',
  path: '/network/:id',
  summary: 'a network that published series belong to',
  responses: { 200: rdf('The network.', cached), ...unchanged },
  errors: { ...record.errors, not_found: 'no network with published datasets' },
});
const vocabulary = defineRoute({
  ...record,
  method: 'get',
  path: '/vocabularies/:name',
  summary: 'a vocabulary the records use (tiers, dataset types, conditions, …) as a SKOS concept scheme',
  description: 'Every IRI the platform mints for a term dereferences here.',
  responses: { 200: rdf('The concept scheme; cacheable for an hour.', cached), ...unchanged },
  errors: { ...record.errors, not_found: 'no such vocabulary' },
});
const distribution = defineRoute({
  ...record,
  method: 'get',
  path: '/distribution/:id/:n{[0-9]{1,3}}',
  summary: "one of a published dataset's distributions; 410 with an RDF tombstone once withdrawn",
  responses: { 200: rdf('The distribution.', cached), 304: unchanged[304], 410: GONE },
  errors: { ...record.errors, not_found: 'no published dataset with this id, or no such distribution' },
});

export const fdpRoutes = hubRouter({ tag: 'FAIR Data Point' })
  .add(repository, async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const modified = (await catalogueOf(s).lastModified()) ?? new Date(0).toISOString();
    const g = repositoryRecord(fdpSelf(s), [CATALOG_ID], { issued: modified, modified });
    return rdfResponse(c, format, { quads: g.quads, modified });
  })
  .add(catalog, async (c) => {
    const format = rdfFormat(c);
    if (c.req.param('id') !== CATALOG_ID) throw new AppError('not_found', `no catalog ${c.req.param('id')}`);
    const { page, size } = c.req.valid('query');
    const s = c.get('services');
    const store = catalogueOf(s);
    const [datasets, series, networks, lastModified] = await Promise.all([
      store.publishedDatasets({ offset: page * size, limit: size }),
      store.series(),
      store.networks(),
      store.lastModified(),
    ]);
    const modified = lastModified ?? new Date(0).toISOString();
    const g = catalogRecord(fdpSelf(s), CATALOG_ID, datasets.items, { series, networks }, { issued: modified, modified });
    const link = pageLinks(new URL(c.req.url), page, size, datasets.total);
    return rdfResponse(c, format, { quads: g.quads, modified, headers: { link } });
  })
  .add(dataset, async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const record = await visibleDataset(s, c.req.param('id'));
    if (record.state === 'withdrawn') {
      return rdfResponse(c, format, { quads: tombstoneRecord(fdpSelf(s), record).quads, modified: record.withdrawnAt, status: 410 });
    }
    const store = catalogueOf(s);
    const [series, networks] = await Promise.all([store.series(), store.networks()]);
    const one = series.find((x) => x.id === record.metadata.seriesId);
    const network = one && networks.find((n) => n.id === one.networkId);
    const g = datasetRecord(fdpSelf(s), CATALOG_ID, record, one, network);
    return rdfResponse(c, format, { quads: g.quads, modified: record.modifiedAt });
  })
  .add(series, async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const store = catalogueOf(s);
    const [series, networks, modified] = await Promise.all([store.series(), store.networks(), store.lastModified()]);
    const one = series.find((x) => x.id === c.req.param('id'));
    if (!one) throw new AppError('not_found', `no dataset series ${c.req.param('id')} with published datasets`);
    const g = new Graph();
    writeSeries(
      g,
      fdpSelf(s),
      one,
      networks.find((n) => n.id === one.networkId),
    );
    return rdfResponse(c, format, { quads: typeLinkedIris(g, fdpSelf(s).iris.vocabulary).quads, modified });
  })
  .add(network, async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const store = catalogueOf(s);
    const [networks, modified] = await Promise.all([store.networks(), store.lastModified()]);
    const one = networks.find((n) => n.id === c.req.param('id'));
    if (!one) throw new AppError('not_found', `no network ${c.req.param('id')} with published datasets`);
    const g = new Graph();
    writeNetwork(g, fdpSelf(s), one);
    return rdfResponse(c, format, { quads: g.quads, modified });
  })
  .add(vocabulary, async (c) => {
    const format = rdfFormat(c);
    const name = VOCABULARY_NAMES.find((n) => n === c.req.param('name'));
    if (!name) throw new AppError('not_found', `no vocabulary ${c.req.param('name')}; vocabularies: ${VOCABULARY_NAMES.join(', ')}`);
    return rdfResponse(c, format, {
      quads: vocabularyRecord(fdpSelf(c.get('services')), name).quads,
      modified: SHAPES_MODIFIED,
      cacheControl: 'public, max-age=3600',
    });
  })
  .add(profile, async (c) => {
    const format = rdfFormat(c);
    const layer = FDP_LAYERS.find((l) => l === c.req.param('layer'));
    if (!layer) throw new AppError('not_found', `no profile ${c.req.param('layer')}; profiles: ${FDP_LAYERS.join(', ')}`);
    // Shapes change only with a deployment: an hour at the edge is harmless.
    return rdfResponse(c, format, {
      quads: profileRecord(fdpSelf(c.get('services')), layer),
      modified: SHAPES_MODIFIED,
      cacheControl: 'public, max-age=3600',
    });
  })
  .add(distribution, async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const record = await visibleDataset(s, c.req.param('id'));
    if (record.state === 'withdrawn') {
      return rdfResponse(c, format, { quads: tombstoneRecord(fdpSelf(s), record).quads, modified: record.withdrawnAt, status: 410 });
    }
    const g = distributionRecord(fdpSelf(s), record, Number(c.req.param('n')));
    if (!g) throw new AppError('not_found', `dataset ${record.id} has no distribution ${c.req.param('n')}`);
    return rdfResponse(c, format, { quads: g.quads, modified: record.modifiedAt });
  });
