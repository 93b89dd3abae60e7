import { z } from 'zod';
import type { Helpdesk, HelpdeskCustomer, TicketState } from '../ports/helpdesk.ts';

/** A Zammad call that failed or timed out: the caller keeps the request and retries later. */
export class HelpdeskUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelpdeskUnavailable';
  }
}

const userSchema = z.object({ id: z.number().int(), email: z.string().nullish() });
const ticketSchema = z.object({ id: z.number().int(), number: z.union([z.string(), z.number()]).transform(String) });
/** POST /api/v1/tickets answers the ticket's attributes with association ids: `article_ids` holds the first article's. */
const createdTicketSchema = ticketSchema.extend({ article_ids: z.array(z.number().int()).optional() });
const expandedTicketSchema = ticketSchema.extend({
  title: z.string(),
  group: z.string().nullish(),
  state: z.string().nullish(),
  updated_at: z.string(),
});

/** Zammad's state names folded onto the four the platform shows. */
export function platformState(name: string | null | undefined): TicketState {
  if (!name) return 'open';
  if (name === 'new' || name === 'open') return name;
  if (name.startsWith('pending')) return 'pending';
  return ['closed', 'merged', 'removed'].includes(name) ? 'closed' : 'open';
}

/**
 * What the customer writes, as Zammad's REST API takes it on their behalf. The `From` header makes
 * Zammad act as that user (app/controllers/application_controller/has_user.rb: `From`, or the
 * deprecated `X-On-Behalf-Of`; the token's user needs `admin.user` to impersonate); an article created
 * by a customer is the customer's (`sender` Customer, never internal: app/controllers/concerns/
 * creates_ticket_articles.rb). Without it the token's agent would be the author and the user's own
 * text an Agent note, which a trigger then sends back as if an agent had replied.
 */
const customerArticle = (body: string) => ({ body, type: 'note', sender: 'Customer', internal: false, content_type: 'text/plain' });
const onBehalfOf = (email: string) => ({ from: email.toLowerCase() });

/**
 * Zammad's REST API v1 with token authentication (`Authorization: Token token=...`). Every call is
 * bounded by `timeoutMs`; a timeout, a network fault or a non-2xx answer is HelpdeskUnavailable.
 */
export function createZammadHelpdesk(opts: { url: string; token: string; timeoutMs: number; fetch?: typeof fetch }): Helpdesk {
  const doFetch = opts.fetch ?? fetch;
  async function call<T>(
    schema: z.ZodType<T>,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${opts.url}${path}`, {
        method,
        headers: {
          authorization: `Token token=${opts.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      // Never the token: only what failed and how.
      throw new HelpdeskUnavailable(
        `zammad ${method} ${path.split('?')[0]}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HelpdeskUnavailable(`zammad ${method} ${path.split('?')[0]}: HTTP ${res.status}`);
    }
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new HelpdeskUnavailable(`zammad ${method} ${path.split('?')[0]}: unexpected answer`);
    return parsed.data;
  }

  async function findCustomer(email: string): Promise<number | undefined> {
    const query = encodeURIComponent(`email:"${email}"`);
    const users = await call(z.array(userSchema), 'GET', `/api/v1/users/search?query=${query}&limit=10`);
    // Search is fuzzy on some set-ups: only the exact address counts.
    return users.find((u) => u.email?.toLowerCase() === email.toLowerCase())?.id;
  }

  async function findOrCreate(c: HelpdeskCustomer): Promise<number> {
    const email = c.email.toLowerCase();
    const found = await findCustomer(email);
    if (found !== undefined) return found;
    const [firstname, ...rest] = (c.name ?? email.split('@')[0] ?? email).split(' ');
    const created = await call(userSchema, 'POST', '/api/v1/users', { firstname, lastname: rest.join(' '), email, roles: ['Customer'] });
    return created.id;
  }

  return {
    kind: 'zammad',
    async findOrCreateCustomer(c) {
      return { customerId: String(await findOrCreate(c)) };
    },
    async createTicket(t) {
      // The customer must exist before Zammad can act as them.
      const customerId = await findOrCreate(t.customer);
      const ticket = await call(
        createdTicketSchema,
        'POST',
        '/api/v1/tickets',
        { title: t.title, group: t.group, customer_id: customerId, article: { subject: t.title, ...customerArticle(t.body) } },
        onBehalfOf(t.customer.email),
      );
      // Ids grow: the lowest is the opening article (a trigger run in the same request, e.g. an auto-reply, adds later ones).
      const first = ticket.article_ids?.length ? Math.min(...ticket.article_ids) : undefined;
      return { externalId: String(ticket.id), number: ticket.number, ...(first === undefined ? {} : { articleId: String(first) }) };
    },
    async addArticle(externalId, a) {
      const article = await call(
        z.object({ id: z.number().int() }),
        'POST',
        '/api/v1/ticket_articles',
        { ticket_id: Number(externalId), ...customerArticle(a.body) },
        onBehalfOf(a.customerEmail),
      );
      return { articleId: String(article.id) };
    },
    async listCustomerTickets(email) {
      const customerId = await findCustomer(email.toLowerCase());
      if (customerId === undefined) return [];
      const tickets = await call(
        z.array(expandedTicketSchema),
        'GET',
        `/api/v1/tickets/search?query=${encodeURIComponent(`customer_id:${customerId}`)}&expand=true&limit=100`,
      );
      return tickets.map((t) => ({
        externalId: String(t.id),
        number: t.number,
        title: t.title,
        group: t.group ?? '',
        state: platformState(t.state),
        updatedAt: new Date(t.updated_at),
      }));
    },
  };
}
