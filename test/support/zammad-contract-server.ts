// A stand-in for Zammad's REST API v1 on loopback, implementing only the documented endpoints the
// platform uses and checking each request the way Zammad would: the token header, the body's shape
// and the references (group, customer, ticket). Anything off is answered with an error AND recorded
// in `violations`, so a test can assert that the adapter never sent a malformed call.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { HELPDESK_GROUPS } from '../../functions/ports/helpdesk.ts';

interface User {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  roles: string[];
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
interface Article {
  id: number;
  ticket_id: number;
  body: string;
  sender: 'Customer' | 'Agent';
  internal: boolean;
  on_behalf_of?: string;
}

const articleIn = z
  .object({
    subject: z.string().min(1).optional(),
    body: z.string().min(1),
    type: z.literal('note'),
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

export async function startZammadContractServer(opts: { token: string }) {
  const users: User[] = [];
  const tickets: Ticket[] = [];
  const articles: Article[] = [];
  const violations: string[] = [];
  const requests: { method: string; path: string }[] = [];
  let mode: ZammadMode = 'ok';
  const hanging = new Set<ServerResponse>();

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

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://zammad');
    requests.push({ method: req.method ?? '', path: url.pathname });
    if (mode === 'down') return send(res, 503, { error: 'maintenance' });
    if (mode === 'hang') return void hanging.add(res);
    if (req.headers.authorization !== `Token token=${opts.token}`)
      return refuse(res, 401, `bad authorization on ${req.method} ${url.pathname}`);
    if (req.method === 'POST' && !req.headers['content-type']?.startsWith('application/json'))
      return refuse(res, 415, `no JSON content type on ${url.pathname}`);

    if (req.method === 'GET' && url.pathname === '/api/v1/users/search') {
      const m = /^email:"([^"]+)"$/.exec(url.searchParams.get('query') ?? '');
      if (!m) return refuse(res, 422, `user search query ${url.searchParams.get('query')}`);
      return send(
        res,
        200,
        users.filter((u) => u.email === m[1]?.toLowerCase()),
      );
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/users') {
      const b = userIn.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `user body: ${b.error.message}`);
      if (users.some((u) => u.email === b.data.email.toLowerCase())) return refuse(res, 422, `duplicate user ${b.data.email}`);
      const user = { id: users.length + 10, ...b.data, email: b.data.email.toLowerCase() };
      users.push(user);
      return send(res, 201, user);
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/tickets') {
      const b = ticketIn.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `ticket body: ${b.error.message}`);
      if (!users.some((u) => u.id === b.data.customer_id)) return refuse(res, 422, `unknown customer ${b.data.customer_id}`);
      const id = tickets.length + 100;
      const t: Ticket = {
        id,
        number: String(31000 + id),
        title: b.data.title,
        group: b.data.group,
        customer_id: b.data.customer_id,
        state: 'new',
        created_at: now(),
        updated_at: now(),
      };
      tickets.push(t);
      articles.push({ id: articles.length + 500, ticket_id: id, body: b.data.article.body, sender: 'Customer', internal: false });
      return send(res, 201, { ...t, article_ids: [articles.length + 499] });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/ticket_articles') {
      const b = articleForTicket.safeParse(await readJson(req));
      if (!b.success) return refuse(res, 422, `article body: ${b.error.message}`);
      const t = tickets.find((x) => x.id === b.data.ticket_id);
      if (!t) return refuse(res, 404, `unknown ticket ${b.data.ticket_id}`);
      const customer = users.find((u) => u.id === t.customer_id);
      const onBehalf = req.headers['x-on-behalf-of'];
      if (onBehalf !== customer?.email) return refuse(res, 422, `article on behalf of ${onBehalf}, not the ticket's customer`);
      const a: Article = {
        id: articles.length + 500,
        ticket_id: t.id,
        body: b.data.body,
        sender: 'Customer',
        internal: false,
        on_behalf_of: onBehalf,
      };
      articles.push(a);
      t.updated_at = now();
      return send(res, 201, a);
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
    requests,
    setMode(m: ZammadMode) {
      mode = m;
      if (m !== 'hang') {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    /** An agent answers in Zammad; answers the payload its trigger's webhook would post. */
    agentReply(ticketId: number, body: string, state = 'open', opts: { internal?: boolean } = {}) {
      const t = tickets.find((x) => x.id === ticketId);
      if (!t) throw new Error(`no ticket ${ticketId}`);
      t.state = state;
      t.updated_at = now();
      const a: Article = { id: articles.length + 500, ticket_id: ticketId, body, sender: 'Agent', internal: opts.internal ?? false };
      articles.push(a);
      return {
        ticket: {
          id: t.id,
          number: t.number,
          title: t.title,
          state: t.state,
          group: t.group,
          customer_id: t.customer_id,
          updated_at: t.updated_at,
        },
        article: {
          id: a.id,
          ticket_id: t.id,
          body: `<p>${body}</p>`,
          content_type: 'text/html',
          sender: 'Agent',
          internal: a.internal,
          type: 'email',
        },
      };
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
