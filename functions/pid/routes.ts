// The PID resolver, GET /pid/{uuid}: the way doi.org and w3id answer, a 303 chosen by Accept (the
// web page for people, the FDP record for machines), 410 with a tombstone once withdrawn (an HTML
// page, the FDP's RDF tombstone, or for JSON clients the one error body `gone` carrying it), and 404
// only for what was never published. Every answer varies by Accept and may sit in an edge cache.
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, media } from '../api/hub-router.ts';
import { catalogueOf, fdpSelf } from '../fdp/catalogue.ts';
import { fdpIris } from '../fdp/iris.ts';
import { pickType, rdfFormatOf } from '../fdp/negotiate.ts';
import { tombstoneRecord } from '../fdp/records.ts';
import { notAcceptable, rdfResponse } from '../fdp/respond.ts';
import { type Tombstone, tombstonePage } from './tombstone-page.ts';

/** What the resolver offers, in order of preference when the client does not say (`*\/*`: people). */
export const PID_TYPES = [
  'text/html',
  'text/turtle',
  'application/ld+json',
  'application/n-triples',
  'application/rdf+xml',
  'application/json',
] as const;

export const PID_CACHE = {
  /** A redirect stays right until the dataset is withdrawn, and its FDP record then answers 410 itself. */
  redirect: 'public, max-age=3600',
  gone: 'public, max-age=86400',
  /** Short: a draft that is not found today may be published tomorrow. */
  notFound: 'public, max-age=60',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const resolve = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'public',
  summary:
    '303 to the dataset page (browsers) or its FDP record (RDF types, RDF/XML included); 410 tombstone when withdrawn (HTML page, RDF tombstone, or the `gone` error body for JSON); 404 if never published; 400 malformed; cacheable at the edge',
  description:
    "Chosen by `Accept` (HTML, Turtle, JSON-LD, N-Triples, RDF/XML, JSON). Once withdrawn: 410 with a tombstone (an HTML page, the FDP's RDF tombstone, or for JSON the `gone` error body with the tombstone in `details`). Every answer varies by Accept and may sit in an edge cache.",
  responses: {
    303: media([], 'To the dataset page, its FDP record, or its JSON in the catalogue API.', {
      location: { description: 'where the PID leads' },
    }),
    410: media(
      ['text/html', 'text/turtle', 'application/ld+json', 'application/n-triples'],
      'Withdrawn: the tombstone in the type asked for.',
    ),
  },
  errors: {
    bad_request: 'a dataset PID is a UUID',
    not_found: 'no dataset was ever published under this PID',
    not_acceptable: 'none of the accepted types can be served; `details.supported` lists them',
    gone: 'withdrawn: `details` is the tombstone (title, withdrawal date, reason)',
  },
});

export const pidRoutes = hubRouter({ tag: 'PID' }).add(resolve, async (c) => {
  const id = c.req.param('id');
  c.header('vary', 'Accept');
  if (!UUID.test(id)) throw new AppError('bad_request', 'a dataset PID is a UUID', { id });
  const type = pickType(c.req.header('accept'), PID_TYPES);
  if (!type) throw notAcceptable(c, PID_TYPES);
  const s = c.get('services');
  const record = await catalogueOf(s).dataset(id.toLowerCase());
  if (!record || record.state === 'draft') {
    c.header('cache-control', PID_CACHE.notFound);
    throw new AppError('not_found', `no dataset was ever published as ${id}`);
  }
  const base = s.config.PUBLIC_URL;
  if (record.state === 'withdrawn') {
    c.header('cache-control', PID_CACHE.gone);
    const tombstone: Tombstone = {
      id: record.id,
      pid: `${base}/pid/${record.id}`,
      state: 'withdrawn',
      title: record.metadata.title,
      withdrawnAt: record.withdrawnAt,
      reason: record.withdrawnReason,
    };
    // RDF clients get the FDP's own tombstone record (owl:deprecated, adms:status, date, reason) in
    // their format, so the PID and the record it used to lead to say the same thing.
    const rdf = rdfFormatOf(type);
    if (rdf)
      return rdfResponse(c, rdf, {
        quads: tombstoneRecord(fdpSelf(s), record).quads,
        modified: record.withdrawnAt,
        status: 410,
        cacheControl: PID_CACHE.gone,
      });
    if (type === 'application/json') throw new AppError('gone', `dataset ${record.id} was withdrawn`, tombstone);
    return c.html(tombstonePage(tombstone), 410);
  }
  c.header('cache-control', PID_CACHE.redirect);
  const location =
    type === 'text/html'
      ? `${base}/catalogue/datasets/${record.id}`
      : type === 'application/json'
        ? `${base}/api/v1/catalogue/datasets/${record.id}`
        : fdpIris(base).dataset(record.id);
  return c.redirect(location, 303);
});
