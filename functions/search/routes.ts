import { Hono } from 'hono';
import { z } from 'zod';
import { filterCatalogue } from '../../shared/filter-catalogue.ts';
import { idPattern } from '../../shared/ids.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { searchEvents } from './search-events.ts';
import { searchReport } from './search-report.ts';
import { searchBodySchema } from './search-request.ts';
import { createSearch, getSearch } from './search-service.ts';

function viewer(c: Parameters<typeof callingUser>[0]) {
  const p = callingUser(c);
  return { sub: p.user.sub, admin: p.admin };
}

const searchParam = z.object({ id: z.string().regex(idPattern('srch'), 'not a search id') });

export const searchRoutes = new Hono<HubEnv>()
  /** Public: the filters the explorer offers and the hub checks queries against. */
  .get('/catalogue', (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(filterCatalogue);
  })
  .post('/', requireMember, validate('json', searchBodySchema), async (c) => {
    const search = await createSearch(c.get('services'), viewer(c).sub, c.req.valid('json'), c.get('log'));
    return c.json(search, 202);
  })
  .get('/:id', requireMember, validate('param', searchParam), async (c) => {
    return c.json(await getSearch(c.get('services'), viewer(c), c.req.valid('param').id));
  })
  .get('/:id/events', requireMember, validate('param', searchParam), async (c) => {
    return searchEvents(c, viewer(c), c.req.valid('param').id);
  })
  .get('/:id/report', requireMember, validate('param', searchParam), async (c) => {
    const id = c.req.valid('param').id;
    const report = await searchReport(c.get('services'), viewer(c), id);
    return c.json(report, 200, { 'content-disposition': `attachment; filename="eucaim-search-${id}.json"` });
  });
