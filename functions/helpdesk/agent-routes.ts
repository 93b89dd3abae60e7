import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireAdmin } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { listDesk, readDesk, replyDesk, setDeskState } from './agent-desk.ts';
import { deskIdParam, deskListQuery, deskStateSchema, replySchema } from './schemas.ts';
import { assertTextSize } from './ticket-service.ts';

/** With Zammad the agents work in Zammad: this view exists only for the embedded helpdesk. */
const requireEmbedded = createMiddleware<HubEnv>(async (c, next) => {
  if (c.get('services').helpdesk.kind !== 'embedded') throw new AppError('conflict', 'this hub uses Zammad: answer tickets there');
  return next();
});

/** The embedded helpdesk's agent view for platform admins (mounted at /api/v1/helpdesk/agent). */
export const agentRoutes = new Hono<HubEnv>()
  .use('*', requireAdmin, requireEmbedded)
  .get('/tickets', validate('query', deskListQuery), async (c) =>
    c.json({ tickets: await listDesk(c.get('services'), c.req.valid('query').state) }),
  )
  .get('/tickets/:id', validate('param', deskIdParam), async (c) => c.json(await readDesk(c.get('services'), c.req.valid('param').id)))
  .post('/tickets/:id/replies', validate('param', deskIdParam), validate('json', replySchema), async (c) => {
    const { body } = c.req.valid('json');
    assertTextSize(body);
    const p = callingUser(c);
    return c.json(await replyDesk(c.get('services'), c.req.valid('param').id, p.user.name ?? p.user.sub, body), 201);
  })
  .post('/tickets/:id/state', validate('param', deskIdParam), validate('json', deskStateSchema), async (c) =>
    c.json(await setDeskState(c.get('services'), c.req.valid('param').id, c.req.valid('json').state)),
  );
