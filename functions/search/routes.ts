import { z } from 'zod';
import { filterCatalogue, filterCatalogueSchema } from '../../shared/filter-catalogue.ts';
import { idPattern } from '../../shared/ids.ts';
import { defineRoute, hubRouter, json, media } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { searchReportSchema, searchViewSchema } from './responses.ts';
import { searchEvents } from './search-events.ts';
import { searchReport } from './search-report.ts';
import { searchBodySchema } from './search-request.ts';
import { createSearch, getSearch } from './search-service.ts';

function viewer(c: Parameters<typeof callingUser>[0]) {
  const p = callingUser(c);
  return { sub: p.user.sub, admin: p.admin };
}

const searchParam = z.object({ id: z.string().regex(idPattern('srch'), 'not a search id') });

// The routes, declared once each; the handlers below take them in the same order.
const OWNER = "the search's owner, and platform admins (404 for anyone else)";
const ownSearch = {
  access: 'member',
  rule: OWNER,
  request: { params: searchParam },
  errors: { not_found: 'no such search of the caller' },
} as const;

/** Public: the filters the explorer offers and the hub checks queries against. */
const catalogue = defineRoute({
  method: 'get',
  path: '/catalogue',
  access: 'public',
  summary: 'the filter catalogue (keys, labels, codes, operators, units)',
  description: 'The filters the explorer offers and the hub checks queries against; cacheable for five minutes.',
  responses: { 200: json(filterCatalogueSchema, 'The filter catalogue.') },
});
const start = defineRoute({
  method: 'post',
  path: '/',
  access: 'member',
  summary:
    'start a count query `{ ast, id?, deadlineSeconds? }` with the tree as the EUCAIM explorer (Lens 0.4.6 / 0.6) or Focus builds it; a malformed tree or a value of the wrong shape for its filter is a 400 naming the path; an unknown key or code goes to the nodes and the view names it in `notices`; 202 with the view',
  description:
    "`{ ast, id?, deadlineSeconds? }`: Lens and Focus additions (`nodeType`, branch `key`, `system`, labels) are accepted and Lens's empty number field `0` is read as meant; one signed job per online node.",
  request: { json: searchBodySchema },
  responses: { 202: json(searchViewSchema, 'Started: the view now; poll it or follow its events.') },
});
const view = defineRoute({
  ...ownSearch,
  method: 'get',
  path: '/:id',
  summary:
    'per node `pending / answered / unsupported / error / timed_out / skipped`, datasets, total, `notices` ("unknown value X of filter Y")',
  responses: { 200: json(searchViewSchema, 'The search now.') },
});
const events = defineRoute({
  ...ownSearch,
  method: 'get',
  path: '/:id/events',
  summary: 'Server-Sent Events: the view now and on every change, closes at completion (on AWS served by a streaming function URL)',
  description: 'Each event is `view` with the whole view as JSON. On AWS this is served by a streaming function URL.',
  responses: { 200: media(['text/event-stream'], 'The event stream.') },
});
const report = defineRoute({
  ...ownSearch,
  method: 'get',
  path: '/:id/report',
  summary: 'JSON report: query tree and words, per-node status, obfuscation notes, counts per dataset, hub version, time',
  responses: {
    200: {
      ...json(searchReportSchema, 'The report, as a download.'),
      headers: { 'content-disposition': { description: 'attachment; filename="eucaim-search-<id>.json"' } },
    },
  },
});

export const searchRoutes = hubRouter({ tag: 'Search' })
  .add(catalogue, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(filterCatalogue);
  })
  .add(start, async (c) => {
    const search = await createSearch(c.get('services'), viewer(c).sub, c.req.valid('json'), c.get('log'));
    return c.json(search, 202);
  })
  .add(view, async (c) => {
    return c.json(await getSearch(c.get('services'), viewer(c), c.req.valid('param').id));
  })
  .add(events, async (c) => {
    return searchEvents(c, viewer(c), c.req.valid('param').id);
  })
  .add(report, async (c) => {
    const id = c.req.valid('param').id;
    const report = await searchReport(c.get('services'), viewer(c), id);
    return c.json(report, 200, { 'content-disposition': `attachment; filename="eucaim-search-${id}.json"` });
  });
