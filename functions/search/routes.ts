import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern } from '../../shared/ids.ts';
import { searchRequestSchema } from '../../shared/query.ts';
import type { HubEnv } from '../env.ts';
import { requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { createSearch, getSearch } from './search-service.ts';

function viewer(c: { get(k: 'principal'): HubEnv['Variables']['principal'] }) {
  const p = c.get('principal');
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'log in to use this route');
  return { sub: p.user.sub, admin: p.admin };
}

export const searchRoutes = new Hono<HubEnv>()
  .post('/', requireMember, validate('json', searchRequestSchema), async (c) => {
    const search = await createSearch(c.get('services'), viewer(c).sub, c.req.valid('json'));
    return c.json(search, 202);
  })
  .get('/:id', requireMember, validate('param', z.object({ id: z.string().regex(idPattern('srch'), 'not a search id') })), async (c) => {
    return c.json(await getSearch(c.get('services'), viewer(c), c.req.valid('param').id));
  });
