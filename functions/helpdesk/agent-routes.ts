import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import type { HubEnv } from '../env.ts';
import { callingUser } from '../middleware/guards.ts';
import { listDesk, readDesk, replyDesk, setDeskState } from './agent-desk.ts';
import { deskListSchema, deskReplySchema, deskStateViewSchema, deskTicketSchema } from './responses.ts';
import { deskIdParam, deskListQuery, deskStateSchema, replySchema } from './schemas.ts';
import { assertTextSize } from './ticket-service.ts';

/** With Zammad the agents work in Zammad: this view exists only for the embedded helpdesk. */
const requireEmbedded = createMiddleware<HubEnv>(async (c, next) => {
  if (c.get('services').helpdesk.kind !== 'embedded') throw new AppError('conflict', 'this hub uses Zammad: answer tickets there');
  return next();
});
const ZAMMAD = { conflict: 'this hub uses Zammad: answer tickets there' } as const;
const NOT_FOUND = { ...ZAMMAD, not_found: 'no such helpdesk ticket' } as const;

/** The embedded helpdesk's agent view for platform admins (mounted at /api/v1/helpdesk/agent). */
export const agentRoutes = hubRouter({ tag: 'Helpdesk', middleware: [requireEmbedded] })
  .add(
    {
      method: 'get',
      path: '/tickets',
      access: 'admin',
      summary: "the embedded helpdesk's queue, newest activity first",
      request: { query: deskListQuery },
      responses: { 200: json(deskListSchema, 'At most 500 tickets.') },
      errors: ZAMMAD,
    },
    async (c) => c.json({ tickets: await listDesk(c.get('services'), c.req.valid('query').state) }),
  )
  .add(
    {
      method: 'get',
      path: '/tickets/:id',
      access: 'admin',
      summary: 'one desk ticket with its articles',
      request: { params: deskIdParam },
      responses: { 200: json(deskTicketSchema, 'The ticket.') },
      errors: NOT_FOUND,
    },
    async (c) => c.json(await readDesk(c.get('services'), c.req.valid('param').id)),
  )
  .add(
    {
      method: 'post',
      path: '/tickets/:id/replies',
      access: 'admin',
      summary: "an agent's answer, delivered to the user as Zammad's webhook would be",
      request: { params: deskIdParam, json: replySchema },
      responses: { 201: json(deskReplySchema, 'Answered.') },
      errors: { ...NOT_FOUND, payload_too_large: 'the text is over the limit' },
    },
    async (c) => {
      const { body } = c.req.valid('json');
      assertTextSize(body);
      const p = callingUser(c);
      return c.json(await replyDesk(c.get('services'), c.req.valid('param').id, p.user.name ?? p.user.sub, body), 201);
    },
  )
  .add(
    {
      method: 'post',
      path: '/tickets/:id/state',
      access: 'admin',
      summary: "set a desk ticket's state",
      request: { params: deskIdParam, json: deskStateSchema },
      responses: { 200: json(deskStateViewSchema, 'The new state.') },
      errors: NOT_FOUND,
    },
    async (c) => c.json(await setDeskState(c.get('services'), c.req.valid('param').id, c.req.valid('json').state)),
  );
