// A stand-in for Zammad's REST API v1 on loopback, implementing only the documented endpoints the
// platform uses and behaving as Zammad does where the platform depends on it; each behaviour names the
// file of zammad/zammad it comes from. It also checks each request the way Zammad would (the token
// header, the body's shape, the references: group, customer, ticket). Anything off is answered with an
// error AND recorded in `violations`, so a test can assert that the adapter never sent a malformed call.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { HELPDESK_GROUPS } from '../../functions/ports/helpdesk.ts';

interface User {
  id: number;
  login: string;
  email: string;
  firstname: string;
  lastname: string;
  roles: string[];
  /** What the roles grant, as Zammad's permission names. */
  permissions: string[];
}
interface Ticket {
  id: number;
  number: string;
  title: string;
  group: string;
  customer_id: number;
  state: string;
  created_at: string;
  updated_at: string;
}
export interface ZammadArticle {
  id: number;
  ticket_id: number;
  body: string;
  content_type: string;
  type: string;
  sender: 'Customer' | 'Agent';
  internal: boolean;
  created_by_id: number;
  created_at: string;
}
export interface WebhookDelivery {
  articleId: number;
  status: number;
  response: unknown;
}

const articleIn = z
  .object({
    subject: z.string().min(1).optional(),
    body: z.string().min(1),
    type: z.literal('note'),
    sender: z.enum(['Customer', 'Agent']).optional(),
    internal: z.literal(false),
    content_type: z.literal('text/plain'),
  })
  .strict();
const userIn = z
  .object({ firstname: z.string().min(1), lastname: z.string(), email: z.email(), roles: z.tuple([z.literal('Customer')]) })
  .strict();
const ticketIn = z
  .object({ title: z.string().min(1).max(250), group: z.enum(HELPDESK_GROUPS), customer_id: z.number().int(), article: articleIn })
  .strict();
const articleForTicket = articleIn.omit({ subject: true }).extend({ ticket_id: z.number().int() }).strict();

export type ZammadMode = 'ok' | 'down' | 'hang';

/** Zammad's seeded roles and the permissions that matter here (db/seeds/roles.rb: Admin, Agent, Customer). */
const ROLE_PERMISSIONS: Record<string, string[]> = {
  Admin: ['admin'],
  Agent: ['ticket.agent'],
  Customer: ['ticket.customer'],
};
/** A permission is granted by itself or by a parent (`admin` grants `admin.user`), as User#permissions? decides. */
const grants = (user: User, permission: string) => user.permissions.some((p) => p === permission || permission.startsWith(`${p}.`));

export async function startZammadContractServer(opts: { token: string }) {
  const users: User[] = [];
  const tickets: Ticket[] = [];
  const articles: ZammadArticle[] = [];
  const violations: string[] = [];
  /** Requests that used the deprecated `X-On-Behalf-Of` header (Zammad logs a deprecation warning). */
  const deprecations: string[] = [];
  const requests: { method: string; path: string; from?: string }[] = [];
  const deliveries: WebhookDelivery[] = [];
  let mode: ZammadMode = 'ok';
  let webhook: { url: string; secret: string } | undefined;
  const hanging = new Set<ServerResponse>();
  const pendingDeliveries = new Set<Promise<void>>();

  const addUser = (u: Omit<User, 'id' | 'permissions'>) => {
    const user = { ...u, id: users.length + 1, permissions: u.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []) };
    users.push(user);
    return user;
  };
  // The token belongs to the platform's integration user: an agent and user admin (it must impersonate).
  const apiUser = addUser({
    login: 'eucaim-platform',
    email: 'platform@eucaim.example',
    firstname: 'EUCAIM',
    lastname: 'Platform',
    roles: ['Admin', 'Agent'],
  });
  const agent = addUser({ login: 'agent', email: 'agent@eucaim.example', firstname: 'Support', lastname: 'Agent', roles: ['Agent'] });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, status: number, why: string) => {
    violations.push(why);
    send(res, status, { error: why });
  };
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const now = () => new Date().toISOString();

  /**
   * Who the request acts as (app/controllers/application_controller/has_user.rb): the token's user,
   * or, with a `From` header (or the deprecated `X-On-Behalf-Of`), the user it names by id, login or
   * e-mail, lower-cased; impersonating needs `admin.user` (app/policies/sessions_policy.rb); an
   * unknown user is a 403.
   */
  function actingUser(req: IncomingMessage, path: string): User | { status: number; why: string } {
    const legacy = req.headers['x-on-behalf-of'];
    if (typeof legacy === 'string' && legacy) deprecations.push(`X-On-Behalf-Of on ${req.method} ${path}`);
    const named = (typeof req.headers.from === 'string' && req.headers.from) || (typeof legacy === 'string' ? legacy : '');
    if (!named) return apiUser;
    if (!grants(apiUser, 'admin.user')) return { status: 403, why: "Current user has no permission to use 'From'/'X-On-Behalf-Of'!" };
    const id = named.toLowerCase().trim();
    const user =
      (/^\d+$/.test(id) ? users.find((u) => u.id === Number(id)) : undefined) ?? users.find((u) => u.login === id || u.email === id);
    return user ?? { status: 403, why: `No such user '${named}'` };
  }

  /**
   * An article as Zammad stores it (app/controllers/concerns/creates_ticket_articles.rb): without a
   * `sender`, it is the acting user's (Agent if they have ticket.agent, else Customer); a customer's
   * article is always Customer, never internal, whatever was asked.
   */
  function createArticle(ticket: Ticket, by: User, input: z.infer<typeof articleIn>): ZammadArticle {
    const isAgent = grants(by, 'ticket.agent');
    const sender = isAgent ? (input.sender ?? 'Agent') : 'Customer';
    const a: ZammadArticle = {
      id: articles.length + 500,
      ticket_id: ticket.id,
      body: input.body,
      content_type: input.content_type,
      type: input.type,
      sender,
      internal: isAgent ? input.internal : false,
      created_by_id: by.id,
      created_at: now(),
    };
    articles.push(a);
    ticket.updated_at = now();
    return a;
  }

  /** A record with its associations by name, as attributes_with_association_names renders it. */
  const ticketPayload = (t: Ticket) => ({
    ...t,
    customer: users.find((u) => u.id === t.customer_id)?.login,
    article_ids: articles.filter((a) => a.ticket_id === t.id).map((a) => a.id),
  });
  const userPayload = (u: User | undefined) =>
    u ? { id: u.id, login: u.login, email: u.email, firstname: u.firstname, lastname: u.lastname } : {};

  /**
   * The trigger "article created → webhook" every deployment sets up for the platform, fired for
   * every article (app/jobs/trigger_webhook_job.rb: default payload `{ ticket, article }`, headers
   * X-Zammad-Trigger and X-Zammad-Delivery, and X-Hub-Signature `sha1=` HMAC-SHA1 of the body with
   * the signature token; record_payload/ticket/article.rb: the article with created_by expanded).
   * Sent after the request that created the article has been answered, as Zammad's job queue does.
   */
  function fireTrigger(ticket: Ticket, article: ZammadArticle) {
    if (!webhook) return;
    const target = webhook;
    const body = JSON.stringify({
      ticket: ticketPayload(ticket),
      article: { ...article, created_by: userPayload(users.find((u) => u.id === article.created_by_id)) },
    });
    const delivery = (async () => {
      await new Promise((r) => setImmediate(r));
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-zammad-trigger': 'EUCAIM platform replies',
          'x-zammad-delivery': randomUUID(),
          'x-hub-signature': `sha1=${createHmac('sha1', target.secret).update(body).digest('hex')}`,
        },
        body,
      }).catch(() => undefined);
      deliveries.push({
        articleId: article.id,
        status: res?.status ?? 0,
        response: res ? await res.json().catch(() => undefined) : undefined,
      });
    })();
    pendingDeliveries.add(delivery);
    void delivery.finally(() => pendingDeliveries.delete(delivery));
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://zammad');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      ...(typeof req.headers.from === 'string' ? { from: req.headers.from } : {}),
    });
    if (mode === 'down') return send(res, 503, { error: 'maintenance' });
    if (mode === 'hang') return void hanging.add(res);
    if (req.headers.authorization !== `Token token=${opts.token}`)
      return refuse(res, 401, `bad authorization on ${req.method} ${url.pathname}`);
    if (req.method === 'POST' && !req.headers['content-type']?.startsWith('application/json'))
      return refuse(res, 415, `no JSON content type on ${url.pathname}`);
    const acting = actingUser(req, url.pathname);
    if (!('id' in acting)) return refuse(res, acting.status, acting.why);

    if (req.method === 'GET' && url.pathname === '/api/v1/users/search') {
      const m = /^email:"([^"]+)"$/.exec(url.searchParams.get('query') ?? '');
      if (!m) return refuse(res, 422, `user search query ${url.searchParams.get('query')}`);
      return send(res, 200, users.filter((u) => u.email === m[1]?.toLowerCase()).map(userPayload));
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/users') {
      const b = userIn.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `user body: ${b.error.message}`);
      if (users.some((u) => u.email === b.data.email.toLowerCase())) return refuse(res, 422, `duplicate user ${b.data.email}`);
      const user = addUser({ ...b.data, login: b.data.email.toLowerCase(), email: b.data.email.toLowerCase() });
      return send(res, 201, userPayload(user));
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/tickets') {
      const b = ticketIn.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `ticket body: ${b.error.message}`);
      // app/controllers/tickets_controller.rb#create: a customer's ticket is always their own.
      const customerId = grants(acting, 'ticket.agent') ? b.data.customer_id : acting.id;
      if (!users.some((u) => u.id === customerId)) return refuse(res, 422, `unknown customer ${customerId}`);
      // Zammad would silently take the acting customer; the adapter should not name another one.
      if (customerId !== b.data.customer_id) return refuse(res, 422, `customer_id ${b.data.customer_id} is not the acting customer`);
      const id = tickets.length + 100;
      const t: Ticket = {
        id,
        number: String(31000 + id),
        title: b.data.title,
        group: b.data.group,
        customer_id: customerId,
        state: 'new',
        created_at: now(),
        updated_at: now(),
      };
      tickets.push(t);
      const article = createArticle(t, acting, b.data.article);
      // attributes_with_association_ids: the ticket's own fields plus `article_ids`.
      send(res, 201, { ...t, article_ids: [article.id] });
      return fireTrigger(t, article);
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/ticket_articles') {
      const b = articleForTicket.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `article body: ${b.error.message}`);
      const t = tickets.find((x) => x.id === b.data.ticket_id);
      if (!t) return refuse(res, 404, `unknown ticket ${b.data.ticket_id}`);
      // app/policies/ticket_policy.rb: a customer may write only on their own tickets.
      if (!grants(acting, 'ticket.agent') && t.customer_id !== acting.id)
        return refuse(res, 403, `${acting.email} may not write on ticket ${t.id}`);
      const article = createArticle(t, acting, { ...b.data });
      // ticket_articles_controller.rb#create: attributes_with_association_names.
      send(res, 201, { ...article, created_by: acting.login });
      return fireTrigger(t, article);
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/tickets/search') {
      const m = /^customer_id:(\d+)$/.exec(url.searchParams.get('query') ?? '');
      if (!m || url.searchParams.get('expand') !== 'true') return refuse(res, 422, `ticket search ${url.search}`);
      return send(
        res,
        200,
        tickets.filter((t) => t.customer_id === Number(m[1])),
      );
    }
    return refuse(res, 404, `no such endpoint ${req.method} ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    users,
    tickets,
    articles,
    violations,
    deprecations,
    requests,
    /** Webhook deliveries the trigger made, with the platform's answers. */
    deliveries,
    customerOf: (ticketId: number) => users.find((u) => u.id === tickets.find((t) => t.id === ticketId)?.customer_id),
    /** The webhook an admin configures in Zammad, and the trigger that fires it for every new article. */
    setWebhook(w: { url: string; secret: string } | undefined) {
      webhook = w;
    },
    /** Waits until every webhook delivery started so far has been answered. */
    async settled() {
      while (pendingDeliveries.size > 0) await Promise.all([...pendingDeliveries]);
    },
    setMode(m: ZammadMode) {
      mode = m;
      if (m !== 'hang') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    /**
     * An agent answers in Zammad's own UI (an e-mail reply, HTML). Answers the payload the trigger's
     * webhook carries; with `deliver` the trigger also posts it, as it would.
     */
    agentReply(ticketId: number, body: string, state = 'open', o: { internal?: boolean; deliver?: boolean } = {}) {
      const t = tickets.find((x) => x.id === ticketId);
      if (!t) throw new Error(`no ticket ${ticketId}`);
      t.state = state;
      const a = createArticle(t, agent, { body: `<p>${body}</p>`, type: 'note', internal: false, content_type: 'text/plain' });
      Object.assign(a, { type: 'email', content_type: 'text/html', internal: o.internal ?? false });
      if (o.deliver) fireTrigger(t, a);
      return { ticket: ticketPayload(t), article: { ...a, created_by: userPayload(agent) } };
    },
    async close() {
      for (const res of hanging) res.destroy();
      await Promise.allSettled([...pendingDeliveries]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
