import { type Context, Hono } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, type UserPrincipal } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import type { HelpdeskGroup } from '../ports/helpdesk.ts';
import { agentRoutes } from './agent-routes.ts';
import {
  biobankRequestSchema,
  helpRequestSchema,
  replySchema,
  searchProviderRequestSchema,
  ticketIdParam,
  toolRequestSchema,
} from './schemas.ts';
import { addCustomerArticle, openTicket, type TicketKind } from './ticket-service.ts';
import { listOwnTickets, ticketDetail } from './ticket-views.ts';
import { zammadWebhookRoutes } from './webhook.ts';

function customerOf(p: UserPrincipal) {
  if (!p.user.email)
    throw new AppError('bad_request', 'your identity provider did not release an e-mail address; the helpdesk answers by e-mail');
  return { email: p.user.email, name: p.user.name };
}

type FlowTicket = { kind: TicketKind; group: HelpdeskGroup; title: string; body: string; context: Record<string, string> };

/** Every flow ends here: store, try the helpdesk; the route answers 201 when it took the ticket, 202 `queued` when not. */
function open(c: Context<HubEnv>, req: FlowTicket) {
  const p = callingUser(c);
  return openTicket(c.get('services'), { owner: p.user.sub, customer: customerOf(p), ...req });
}

/** The user's side of the helpdesk (mounted at /api/v1/helpdesk); the agent view and webhook hang off it. */
export const helpdeskRoutes = new Hono<HubEnv>()
  .post('/tickets', validate('json', helpRequestSchema), async (c) => {
    const b = c.req.valid('json');
    const r = await open(c, {
      kind: 'help',
      group: 'Technical Support Team',
      title: b.title,
      body: b.body,
      context: b.page ? { page: b.page } : {},
    });
    return r.delivery === 'sent' ? c.json(r, 201) : c.json(r, 202);
  })
  // Seed 6.2.2: "Create a data ingestion imaging biobank", to the Reference Nodes group.
  .post('/flows/biobank', validate('json', biobankRequestSchema), async (c) => {
    const b = c.req.valid('json');
    const context = { 'biobank name': b.name, 'managing user': b.managingUser, ...(b.url ? { url: b.url } : {}) };
    const r = await open(c, {
      kind: 'biobank',
      group: 'Reference Nodes',
      title: `Create a data ingestion imaging biobank: ${b.name}`,
      body: b.notes || 'Please create this data ingestion imaging biobank.',
      context,
    });
    return r.delivery === 'sent' ? c.json(r, 201) : c.json(r, 202);
  })
  // Seed 6.3.3: "register a new federated search provider", to the Federated Search group.
  .post('/flows/search-provider', validate('json', searchProviderRequestSchema), async (c) => {
    const b = c.req.valid('json');
    const context = { 'node id': b.nodeId, 'public key': b.publicKey, contact: b.contact };
    const r = await open(c, {
      kind: 'search_provider',
      group: 'Federated Search',
      title: `Register a new federated search provider: ${b.nodeId}`,
      body: b.notes || 'Please register this node as a federated search provider.',
      context,
    });
    return r.delivery === 'sent' ? c.json(r, 201) : c.json(r, 202);
  })
  // Seed 5.6: tool registration requests go to the Technical Support Team.
  .post('/flows/tool', validate('json', toolRequestSchema), async (c) => {
    const b = c.req.valid('json');
    const context = { image: b.image, repository: b.repositoryUrl, documentation: b.documentationUrl };
    const r = await open(c, {
      kind: 'tool',
      group: 'Technical Support Team',
      title: `Register a tool: ${b.image}`,
      body: b.notes || 'Please review this tool for registration in the catalogue.',
      context,
    });
    return r.delivery === 'sent' ? c.json(r, 201) : c.json(r, 202);
  })
  .get('/tickets', async (c) => {
    const p = callingUser(c);
    return c.json({ tickets: await listOwnTickets(c.get('services').db, p.user.sub) });
  })
  .get('/tickets/:id', validate('param', ticketIdParam), async (c) => {
    return c.json(await ticketDetail(c.get('services').db, c.req.valid('param').id, callingUser(c)));
  })
  .post('/tickets/:id/articles', validate('param', ticketIdParam), validate('json', replySchema), async (c) => {
    const p = callingUser(c);
    const s = c.get('services');
    const { id } = c.req.valid('param');
    const t = await ticketDetail(s.db, id, p);
    // Admins may read any ticket, but only its owner writes as its customer.
    if (t.owner !== p.user.sub) throw new AppError('forbidden', "only the ticket's owner can add to it");
    const delivery = await addCustomerArticle(s, id, c.req.valid('json').body);
    return delivery === 'sent' ? c.json({ delivery }, 201) : c.json({ delivery }, 202);
  })
  .route('/agent', agentRoutes)
  .route('/webhooks/zammad', zammadWebhookRoutes);
