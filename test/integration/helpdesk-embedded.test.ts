import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskTickets } from '../../functions/adapters/helpdesk-embedded.sql.ts';
import { helpdeskTickets } from '../../functions/helpdesk/helpdesk.sql.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

type Json = Record<string, unknown>;

describe(`the embedded helpdesk through the hub API (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  const call = async (user: string | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (user) headers.authorization = `Bearer ${await hub.token(user)}`;
    const res = await fetch(hub.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  describe.each([
    [
      'ask for help',
      '/api/v1/helpdesk/tickets',
      { title: 'Cannot see my dataset', body: 'It is missing from the search.', page: '/search' },
      'Technical Support Team',
      'Cannot see my dataset',
      { page: '/search' },
    ],
    [
      'create a data ingestion imaging biobank',
      '/api/v1/helpdesk/flows/biobank',
      { name: 'Lung biobank Valencia', managingUser: 'dataholder', url: 'https://lung.example.org' },
      'Reference Nodes',
      'Create a data ingestion imaging biobank: Lung biobank Valencia',
      { 'biobank name': 'Lung biobank Valencia', 'managing user': 'dataholder', url: 'https://lung.example.org' },
    ],
    [
      'register a new federated search provider',
      '/api/v1/helpdesk/flows/search-provider',
      { nodeId: 'node-valencia', publicKey: '{"kty":"OKP","crv":"Ed25519","x":"abc"}', contact: 'ops@valencia.example.org' },
      'Federated Search',
      'Register a new federated search provider: node-valencia',
      { 'node id': 'node-valencia', 'public key': '{"kty":"OKP","crv":"Ed25519","x":"abc"}', contact: 'ops@valencia.example.org' },
    ],
    [
      'register a tool',
      '/api/v1/helpdesk/flows/tool',
      {
        image: 'ghcr.io/example/segmenter:1.2',
        repositoryUrl: 'https://github.com/example/segmenter',
        documentationUrl: 'https://example.org/docs',
      },
      'Technical Support Team',
      'Register a tool: ghcr.io/example/segmenter:1.2',
      {
        image: 'ghcr.io/example/segmenter:1.2',
        repository: 'https://github.com/example/segmenter',
        documentation: 'https://example.org/docs',
      },
    ],
  ])('the "%s" flow', (_name, path, input, group, title, context) => {
    it('opens a ticket in its group with its context, listed under "my tickets" and readable by its owner only', async () => {
      const created = await call('researcher', 'POST', path, input);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.delivery).toBe('sent');
      const id = created.body.id as string;

      const mine = await call('researcher', 'GET', '/api/v1/helpdesk/tickets');
      expect((mine.body.tickets as Json[]).find((t) => t.id === id)).toMatchObject({ group, title, status: 'new' });

      const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ group, title, context });
      // The agents see the context above the user's text in the embedded desk.
      const agent = await call('admin', 'GET', '/api/v1/helpdesk/agent/tickets');
      const row = (agent.body.tickets as Json[]).find((t) => t.title === title) as Json;
      expect(row).toMatchObject({ group, customer: 'researcher@demo.eucaim.local', state: 'new' });
      const full = await call('admin', 'GET', `/api/v1/helpdesk/agent/tickets/${row.id}`);
      const first = (full.body.articles as Json[])[0] as Json;
      for (const [k, v] of Object.entries(context)) expect(first.body).toContain(`${k}: ${v}`);

      const other = await call('representative', 'GET', `/api/v1/helpdesk/tickets/${id}`);
      expect(other.status, JSON.stringify(other.body)).toBe(403);
      expect((await call('representative', 'GET', '/api/v1/helpdesk/tickets')).body.tickets).toEqual([]);
    });
  });

  it('follows a ticket: the agent replies in the agent view, the user reads the reply and is notified', async () => {
    const created = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', {
      title: 'Access to XNAT',
      body: 'Please create my XNAT account.',
    });
    const id = created.body.id as string;
    const [row] = await hub.services.db.select().from(helpdeskTickets).where(eq(helpdeskTickets.id, id));
    const deskId = row!.externalId as string;

    expect((await call('researcher', 'GET', `/api/v1/helpdesk/agent/tickets/${deskId}`)).status).toBe(403);
    const reply = await call('admin', 'POST', `/api/v1/helpdesk/agent/tickets/${deskId}/replies`, { body: 'Done: check your e-mail.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    const detail = await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`);
    expect(detail.body.status).toBe('open');
    expect((detail.body.articles as Json[]).map((a) => [a.from, a.body])).toEqual([
      ['customer', 'Please create my XNAT account.'],
      ['agent', 'Done: check your e-mail.'],
    ]);
    const notes = await call('researcher', 'GET', '/api/v1/me/notifications');
    const note = (notes.body.notifications as Json[]).find((n) => n.link === `/helpdesk/tickets/${id}`) as Json;
    expect(note).toMatchObject({ kind: 'helpdesk.reply', read: false });
    expect(notes.body.unread).toBeGreaterThanOrEqual(1);
    // Nobody else can mark it read; its owner can.
    expect((await call('representative', 'POST', `/api/v1/me/notifications/${note.id}/read`)).status).toBe(404);
    expect((await call('researcher', 'POST', `/api/v1/me/notifications/${note.id}/read`)).status).toBe(200);
    expect(
      ((await call('researcher', 'GET', '/api/v1/me/notifications?unread=true')).body.notifications as Json[]).some(
        (n) => n.id === note.id,
      ),
    ).toBe(false);

    // The user answers back; the agent sees it; the agent closes the ticket.
    expect((await call('researcher', 'POST', `/api/v1/helpdesk/tickets/${id}/articles`, { body: 'Thanks, it works.' })).status).toBe(201);
    expect((await call('representative', 'POST', `/api/v1/helpdesk/tickets/${id}/articles`, { body: 'me too' })).status).toBe(403);
    const desk = await call('admin', 'GET', `/api/v1/helpdesk/agent/tickets/${deskId}`);
    expect((desk.body.articles as Json[]).map((a) => a.sender)).toEqual(['customer', 'agent', 'customer']);
    expect((await call('admin', 'POST', `/api/v1/helpdesk/agent/tickets/${deskId}/state`, { state: 'closed' })).status).toBe(200);
    expect((await call('researcher', 'GET', `/api/v1/helpdesk/tickets/${id}`)).body.status).toBe('closed');
    // The port's own listing reads the desk, whatever the platform recorded.
    const listed = await hub.services.helpdesk.listCustomerTickets('Researcher@demo.eucaim.local');
    expect(listed.find((t) => t.externalId === deskId)).toMatchObject({
      title: 'Access to XNAT',
      state: 'closed',
      group: 'Technical Support Team',
    });
    expect(await hub.services.helpdesk.listCustomerTickets('nobody@example.org')).toEqual([]);
  });

  it('refuses empty text (400), oversized text (413), unknown tickets (404) and anonymous callers (401)', async () => {
    const empty = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'x', body: '   ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('body');
    const big = await call('researcher', 'POST', '/api/v1/helpdesk/tickets', { title: 'x', body: 'y'.repeat(20_001) });
    expect(big.status, JSON.stringify(big.body)).toBe(413);
    const bigReply = await call('admin', 'POST', '/api/v1/helpdesk/agent/tickets/1/replies', { body: 'y'.repeat(20_001) });
    expect(bigReply.status).toBe(413);
    const before = await hub.services.db.select().from(deskTickets);
    expect((await call('researcher', 'GET', '/api/v1/helpdesk/tickets/tkt_00000000000000000000000000')).status).toBe(404);
    expect((await call(undefined, 'POST', '/api/v1/helpdesk/tickets', { title: 'x', body: 'y' })).status).toBe(401);
    expect(await hub.services.db.select().from(deskTickets)).toHaveLength(before.length);
  });
});
