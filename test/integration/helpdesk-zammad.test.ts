import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZammadHelpdesk, HelpdeskUnavailable } from '../../functions/adapters/helpdesk-zammad.ts';
import { helpdeskArticles, helpdeskTickets } from '../../functions/helpdesk/helpdesk.sql.ts';
import { runHelpdeskSweep } from '../../functions/helpdesk/sweep.ts';
import { zammadSignature } from '../../functions/helpdesk/webhook-signature.ts';
import { notifications } from '../../functions/notifications/notifications.sql.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { startZammadContractServer } from '../support/zammad-contract-server.ts';

type Json = Record<string, unknown>;
const TOKEN = 'zammad-token-7f3a9c1e5b2d4f60';
const SECRET = 'webhook-secret-2b7e151628aed2a6';

describe(`the Zammad helpdesk against its contract server (${databaseKind()})`, () => {
  let hub: TestHub;
  let zammad: Awaited<ReturnType<typeof startZammadContractServer>>;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };

  beforeAll(async () => {
    zammad = await startZammadContractServer({ token: TOKEN });
    hub = await startTestHub({
      clock,
      env: { HELPDESK: 'zammad', ZAMMAD_URL: zammad.url, ZAMMAD_TOKEN: TOKEN, ZAMMAD_WEBHOOK_SECRET: SECRET, ZAMMAD_TIMEOUT_MS: '2000' },
    });
    // As an admin sets Zammad up for the platform: a webhook to the hub and a trigger firing it for every new article.
    zammad.setWebhook({ url: `${hub.url}/api/v1/helpdesk/webhooks/zammad`, secret: SECRET });
  });
  afterAll(async () => {
    await zammad?.settled();
    await hub?.stop();
    await zammad?.close();
  });
  beforeEach(() => zammad.setMode('ok'));

  const call = async (user: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
    if (user) h.authorization = `Bearer ${await hub.token(user)}`;
    const res = await fetch(hub.url + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const externalIdOf = async (id: string) =>
    Number((await hub.services.db.select().from(helpdeskTickets).where(eq(helpdeskTickets.id, id)))[0]?.externalId);

  it.each([
    [
      '/api/v1/helpdesk/tickets',
      { title: 'Login loop', body: 'The dashboard keeps asking me to log in.' },
      'Technical Support Team',
      'Login loop',
      'The dashboard keeps asking',
    ],
    [
      '/api/v1/helpdesk/flows/biobank',
      { name: 'Prostate MR', managingUser: 'dataholder' },
      'Reference Nodes',
      'Create a data ingestion imaging biobank: Prostate MR',
      'managing user: dataholder',
    ],
    [
      '/api/v1/helpdesk/flows/search-provider',
      { nodeId: 'node-porto', publicKey: 'PEM...', contact: 'it@porto.example.org' },
      'Federated Search',
      'Register a new federated search provider: node-porto',
      'node id: node-porto',
    ],
    [
      '/api/v1/helpdesk/flows/tool',
      { image: 'seg:2', repositoryUrl: 'https://git.example.org/seg', documentationUrl: 'https://docs.example.org/seg' },
      'Technical Support Team',
      'Register a tool: seg:2',
      'repository: https://git.example.org/seg',
    ],
  ])(
    '%s opens a Zammad ticket in its group with its context, for the same customer every time',
    async (path, input, group, title, text) => {
      const res = await call('researcher', 'POST', path, input);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const ticket = zammad.tickets.find((t) => t.id === (zammad.tickets.at(-1)?.id ?? -1));
      expect(ticket).toMatchObject({ group, title });
      const customer = zammad.users.filter((u) => u.email === 'researcher@demo.eucaim.local');
      expect(customer).toHaveLength(1);
      // Written by the customer, as the customer's: Zammad decided so because the hub acted as them (`From`).
      expect(zammad.articles.find((a) => a.ticket_id === ticket?.id)).toMatchObject({
        sender: 'Customer',
        internal: false,
        created_by_id: customer[0]?.id,
        body: expect.stringContaining(text),
      });
      expect(zammad.requests.filter((r) => r.path === '/api/v1/tickets').at(-1)?.from).toBe('researcher@demo.eucaim.local');
      expect(zammad.violations).toEqual([]);
      expect((await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${res.body.id}`)).body.number).toBe(ticket?.number);
    },
  );

  it("lists a customer's tickets and adds follow-ups on the customer's behalf", async () => {
    const listed = await hub.services.helpdesk.listCustomerTickets('researcher@demo.eucaim.local');
    expect(listed.map((t) => t.group).sort()).toEqual([
      'Federated Search',
      'Reference Nodes',
      'Technical Support Team',
      'Technical Support Team',
    ]);
    expect(listed.every((t) => t.state === 'new')).toBe(true);
    expect(await hub.services.helpdesk.listCustomerTickets('nobody@example.org')).toEqual([]);

    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'Follow-up', body: 'first' });
    const added = await call('researcher', 'POST', `/api/v1/helpdesk/tickets/${created.body.id}/articles`, { body: 'second' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const customer = zammad.users.find((u) => u.email === 'researcher@demo.eucaim.local');
    expect(zammad.articles.at(-1)).toMatchObject({ body: 'second', sender: 'Customer', created_by_id: customer?.id });
    // `From`, not the deprecated X-On-Behalf-Of.
    expect(zammad.deprecations).toEqual([]);
    expect(zammad.violations).toEqual([]);
  });

  it("shows the opening message and follow-ups as the customer's, never echoed back by Zammad's trigger as replies", async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'No echo', body: 'my own words' });
    const id = created.body.id as string;
    await call('researcher', 'POST', `/api/v1/helpdesk/tickets/${id}/articles`, { body: 'and a follow-up' });
    await zammad.settled();
    const zid = await externalIdOf(id);
    const written = zammad.articles.filter((a) => a.ticket_id === zid);
    expect(written.map((a) => [a.sender, a.body])).toEqual([
      ['Customer', 'my own words'],
      ['Customer', 'and a follow-up'],
    ]);
    // The trigger fired for both, signed, and the hub took neither as a reply.
    expect(zammad.deliveries.filter((d) => written.some((a) => a.id === d.articleId))).toEqual(
      written.map((a) => ({ articleId: a.id, status: 200, response: { recorded: false } })),
    );

    zammad.agentReply(zid, 'We are on it', 'open', { deliver: true });
    await zammad.settled();
    const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`);
    expect((detail.body.articles as Json[]).map((a) => [a.from, a.body])).toEqual([
      ['customer', 'my own words'],
      ['customer', 'and a follow-up'],
      ['agent', 'We are on it'],
    ]);
    const notes = (await call('researcher', 'GET', '/api/v1/me/notifications')).body.notifications as Json[];
    expect(notes.filter((n) => n.link === `/helpdesk/tickets/${id}`)).toHaveLength(1);
  });

  it("never shows back an article the platform wrote, even when a webhook labels it an agent's", async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'Mislabelled', body: 'from the user' });
    const id = created.body.id as string;
    await zammad.settled();
    const zid = await externalIdOf(id);
    const opening = zammad.articles.find((a) => a.ticket_id === zid);
    const raw = JSON.stringify({
      ticket: { id: zid, state: 'open' },
      article: { id: opening?.id, ticket_id: zid, body: 'from the user', sender: 'Agent', internal: false, content_type: 'text/plain' },
    });
    const res = await call(undefined, 'POST', '/api/v1/helpdesk/webhooks/zammad', raw, {
      'x-hub-signature': await zammadSignature(SECRET, raw),
    });
    expect(res.body).toEqual({ recorded: false });
    const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`);
    expect((detail.body.articles as Json[]).map((a) => [a.from, a.body])).toEqual([['customer', 'from the user']]);
  });

  it('refuses a webhook with a wrong or missing signature (401) and changes nothing', async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'Webhook', body: 'hello' });
    const payload = JSON.stringify(zammad.agentReply(await externalIdOf(created.body.id as string), 'Forged answer'));
    const before = {
      articles: (await hub.services.db.select().from(helpdeskArticles)).length,
      notes: (await hub.services.db.select().from(notifications)).length,
    };
    for (const signature of [
      undefined,
      'sha1=0000000000000000000000000000000000000000',
      await zammadSignature('another-secret-123456', payload),
      (await zammadSignature(SECRET, payload)).slice(0, -2),
    ]) {
      const res = await call(
        undefined,
        'POST',
        '/api/v1/helpdesk/webhooks/zammad',
        payload,
        signature ? { 'x-hub-signature': signature } : {},
      );
      expect(res.status, `${signature}: ${JSON.stringify(res.body)}`).toBe(401);
    }
    // A body changed after signing fails too.
    const tampered = payload.replace('Forged answer', 'Other answer');
    expect(
      (
        await call(undefined, 'POST', '/api/v1/helpdesk/webhooks/zammad', tampered, {
          'x-hub-signature': await zammadSignature(SECRET, payload),
        })
      ).status,
    ).toBe(401);
    expect((await hub.services.db.select().from(helpdeskArticles)).length).toBe(before.articles);
    expect((await hub.services.db.select().from(notifications)).length).toBe(before.notes);
  });

  it('records a signed agent reply once, as text, updates the state and notifies the owner; internal notes stay hidden', async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'Reply please', body: 'hello' });
    const id = created.body.id as string;
    const zid = await externalIdOf(id);
    const post = async (payload: unknown) => {
      const raw = JSON.stringify(payload);
      return call(undefined, 'POST', '/api/v1/helpdesk/webhooks/zammad', raw, { 'x-hub-signature': await zammadSignature(SECRET, raw) });
    };
    const reply = zammad.agentReply(zid, 'Your account is ready & active', 'pending reminder');
    expect((await post(reply)).body).toEqual({ recorded: true });
    expect((await post(reply)).body).toEqual({ recorded: false });
    expect((await post(zammad.agentReply(zid, 'internal: check with UPV', 'pending reminder', { internal: true }))).body).toEqual({
      recorded: false,
    });

    const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`);
    expect(detail.body.status).toBe('pending');
    expect((detail.body.articles as Json[]).map((a) => [a.from, a.body])).toEqual([
      ['customer', 'hello'],
      ['agent', 'Your account is ready & active'],
    ]);
    const notes = (await call('researcher', 'GET', '/api/v1/me/notifications')).body.notifications as Json[];
    expect(notes.filter((n) => n.link === `/helpdesk/tickets/${id}`)).toHaveLength(1);
  });

  it.each([
    ['down', 'answers 503'],
    ['hang', 'does not answer within ZAMMAD_TIMEOUT_MS'],
  ] as const)('keeps the request when Zammad %s (%s), says `queued` (202), and sends it later with backoff', async (mode, _why) => {
    zammad.setMode(mode);
    const res = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: `While ${mode}`, body: 'still there?' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.delivery).toBe('queued');
    const id = res.body.id as string;
    const mine = (await call('researcher', 'GET', '/api/v1/helpdesk/tickets')).body.tickets as Json[];
    expect(mine.find((t) => t.id === id)?.status).toBe('queued');

    // Before the backoff has passed the sweep leaves Zammad alone.
    const calls = zammad.requests.length;
    await runHelpdeskSweep(hub.services);
    expect(zammad.requests.length).toBe(calls);

    zammad.setMode('ok');
    offset += 31_000;
    // Two sweeps at once (overlapping cron runs) still create the ticket once: the claim decides.
    await Promise.all([runHelpdeskSweep(hub.services), runHelpdeskSweep(hub.services)]);
    // The hub's own 2 s sweep may have taken the claim first: wait for whichever ran to finish.
    await expect
      .poll(async () => (await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`)).body.status, { timeout: 15_000 })
      .toBe('new');
    expect(zammad.tickets.filter((t) => t.title === `While ${mode}`)).toHaveLength(1);
    expect(zammad.violations).toEqual([]);
  });

  it('queues a follow-up written while Zammad is down and sends it with the next retry', async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'Follow-up while down', body: 'first' });
    expect(created.status).toBe(201);
    zammad.setMode('down');
    const added = await call('researcher', 'POST', `/api/v1/helpdesk/tickets/${created.body.id}/articles`, {
      body: 'written during the outage',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(202);
    expect(added.body.delivery).toBe('queued');
    zammad.setMode('ok');
    offset += 31_000;
    await runHelpdeskSweep(hub.services);
    await expect.poll(() => zammad.articles.filter((a) => a.body === 'written during the outage').length, { timeout: 15_000 }).toBe(1);
    const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${created.body.id}`);
    expect((detail.body.articles as Json[]).map((a) => a.delivery)).toEqual(['sent', 'sent']);
  });

  it('is refused by Zammad with a wrong token, and the failure names no secret', async () => {
    const wrong = createZammadHelpdesk({ url: zammad.url, token: 'not-the-token-0000', timeoutMs: 5000 });
    const failure = await wrong.findOrCreateCustomer({ email: 'x@example.org' }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(HelpdeskUnavailable);
    expect((failure as Error).message).toBe('zammad GET /api/v1/users/search: HTTP 401');
    expect(zammad.violations.splice(0)).toEqual(['bad authorization on GET /api/v1/users/search']);
  });

  it('has no agent view when Zammad is the helpdesk (agents answer there)', async () => {
    const res = await call('admin', 'GET', '/api/v1/helpdesk/agent/tickets');
    expect(res.status).toBe(409);
  });
});
