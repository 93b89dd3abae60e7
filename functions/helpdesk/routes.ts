import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, type UserPrincipal } from '../middleware/guards.ts';
import type { HelpdeskGroup } from '../ports/helpdesk.ts';
import { agentRoutes } from './agent-routes.ts';
import { deliverySchema, openedSchema, ticketDetailSchema, ticketListSchema } from './responses.ts';
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

const opened = {
  201: json(openedSchema, 'Taken by the helpdesk.'),
  202: json(openedSchema, '`queued`: stored, and delivered when the helpdesk is reachable again.'),
};
const FLOW_ERRORS = {
  bad_request: 'the input is not valid, or the identity provider released no e-mail address (the helpdesk answers by e-mail)',
  payload_too_large: 'the text is over the limit (shorten it)',
} as const;
const OWNER = "the ticket's owner; platform admins read any ticket";

/** The user's side of the helpdesk (mounted at /api/v1/helpdesk); the agent view and webhook hang off it. */
export const helpdeskRoutes = hubRouter({ tag: 'Helpdesk' })
  .add(
    {
      method: 'post',
      path: '/tickets',
      access: 'user',
      summary:
        'ask for help `{ title, body, page? }` (Technical Support Team); 201 sent, or 202 `queued` while the helpdesk is unreachable',
      request: { json: helpRequestSchema },
      responses: opened,
      errors: FLOW_ERRORS,
    },
    async (c) => {
      const b = c.req.valid('json');
      const r = await open(c, {
        kind: 'help',
        group: 'Technical Support Team',
        title: b.title,
        body: b.body,
        context: b.page ? { page: b.page } : {},
      });
      return r.delivery === 'sent' ? c.json(r, 201) : c.json(r, 202);
    },
  )
  // Seed 6.2.2: "Create a data ingestion imaging biobank", to the Reference Nodes group.
  .add(
    {
      method: 'post',
      path: '/flows/biobank',
      access: 'user',
      summary: 'ask for a data ingestion imaging biobank (to the Reference Nodes group)',
      request: { json: biobankRequestSchema },
      responses: opened,
      errors: FLOW_ERRORS,
    },
    async (c) => {
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
    },
  )
  // Seed 6.3.3: "register a new federated search provider", to the Federated Search group.
  .add(
    {
      method: 'post',
      path: '/flows/search-provider',
      access: 'user',
      summary: 'ask to register a federated search provider (to the Federated Search group)',
      request: { json: searchProviderRequestSchema },
      responses: opened,
      errors: FLOW_ERRORS,
    },
    async (c) => {
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
    },
  )
  // Seed 5.6: tool registration requests go to the Technical Support Team.
  .add(
    {
      method: 'post',
      path: '/flows/tool',
      access: 'user',
      summary: 'ask to register a tool (to the Technical Support Team)',
      request: { json: toolRequestSchema },
      responses: opened,
      errors: FLOW_ERRORS,
    },
    async (c) => {
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
    },
  )
  .add(
    {
      method: 'get',
      path: '/tickets',
      access: 'user',
      summary: 'my tickets with their status',
      responses: { 200: json(ticketListSchema, 'Newest first.') },
    },
    async (c) => {
      const p = callingUser(c);
      return c.json({ tickets: await listOwnTickets(c.get('services').db, p.user.sub) });
    },
  )
  .add(
    {
      method: 'get',
      path: '/tickets/:id',
      access: 'user',
      rule: OWNER,
      summary: 'one ticket: the conversation and its status',
      request: { params: ticketIdParam },
      responses: { 200: json(ticketDetailSchema, 'The ticket.') },
      errors: { forbidden: 'the ticket belongs to someone else', not_found: 'no such ticket' },
    },
    async (c) => {
      return c.json(await ticketDetail(c.get('services').db, c.req.valid('param').id, callingUser(c)));
    },
  )
  .add(
    {
      method: 'post',
      path: '/tickets/:id/articles',
      access: 'user',
      rule: "the ticket's owner",
      summary: 'a follow-up on my ticket',
      request: { params: ticketIdParam, json: replySchema },
      responses: { 201: json(deliverySchema, 'Delivered.'), 202: json(deliverySchema, '`queued`: delivered with the next retry.') },
      errors: {
        forbidden: "only the ticket's owner adds to it",
        not_found: 'no such ticket',
        payload_too_large: 'the text is over the limit',
      },
    },
    async (c) => {
      const p = callingUser(c);
      const s = c.get('services');
      const { id } = c.req.valid('param');
      const t = await ticketDetail(s.db, id, p);
      // Admins may read any ticket, but only its owner writes as its customer.
      if (t.owner !== p.user.sub) throw new AppError('forbidden', "only the ticket's owner can add to it");
      const delivery = await addCustomerArticle(s, id, c.req.valid('json').body);
      return delivery === 'sent' ? c.json({ delivery }, 201) : c.json({ delivery }, 202);
    },
  )
  .route('/agent', agentRoutes)
  .route('/webhooks/zammad', zammadWebhookRoutes);
