// The hub's FAIR Data Point, public and read-only: /fdp (repository), /fdp/catalog/{id},
// /fdp/dataset/{uuid}, /fdp/distribution/{uuid}/{n}, the series and networks datasets point to, the
// vocabularies as SKOS, and the SHACL profiles records conform to, /fdp/profile/{layer}. Drafts
// never appear; withdrawn datasets answer 410 with a tombstone record.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { validate } from '../middleware/validate.ts';
import type { Services } from '../services.ts';
import { catalogueOf, fdpSelf } from './catalogue.ts';
import { CATALOG_ID } from './iris.ts';
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

export const fdpRoutes = new Hono<HubEnv>()
  .get('/', validate('query', formatQuery), async (c) => {
    const format = rdfFormat(c);
    const s = c.get('services');
    const modified = (await catalogueOf(s).lastModified()) ?? new Date(0).toISOString();
    const g = repositoryRecord(fdpSelf(s), [CATALOG_ID], { issued: modified, modified });
    return rdfResponse(c, format, { quads: g.quads, modified });
  })
  .get('/catalog/:id', validate('query', pageQuery), async (c) => {
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
  .get('/dataset/:id', validate('query', formatQuery), async (c) => {
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
  .get('/series/:id', validate('query', formatQuery), async (c) => {
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
  .get('/network/:id', validate('query', formatQuery), async (c) => {
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
  .get('/vocabularies/:name', validate('query', formatQuery), async (c) => {
    const format = rdfFormat(c);
    const name = VOCABULARY_NAMES.find((n) => n === c.req.param('name'));
    if (!name) throw new AppError('not_found', `no vocabulary ${c.req.param('name')}; vocabularies: ${VOCABULARY_NAMES.join(', ')}`);
    return rdfResponse(c, format, {
      quads: vocabularyRecord(fdpSelf(c.get('services')), name).quads,
      modified: SHAPES_MODIFIED,
      cacheControl: 'public, max-age=3600',
    });
  })
  .get('/profile/:layer', validate('query', formatQuery), async (c) => {
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
  .get('/distribution/:id/:n{[0-9]{1,3}}', validate('query', formatQuery), async (c) => {
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
