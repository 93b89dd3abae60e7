import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskTickets } from '../../functions/adapters/helpdesk-embedded.sql.ts';
import { expressionsOfInterest } from '../../functions/helpdesk/helpdesk.sql.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { interestForm as form } from '../support/interest-form.ts';

type Json = Record<string, unknown>;

describe(`the public expression of interest (${databaseKind()})`, () => {
  let hub: TestHub;
  let client = 0;
  beforeAll(async () => {
    // The test plays a reverse proxy on loopback: trusted, so its X-Forwarded-For names the client.
    hub = await startTestHub({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => hub?.stop());

  /** Each test posts from its own client address unless it says otherwise, so limits do not leak between tests. */
  const post = async (body: unknown, from = `198.51.100.${++client}`) => {
    const res = await fetch(`${hub.url}/api/v1/expressions-of-interest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('stores the form anonymously, opens a ticket for the consortium and acknowledges it by e-mail', async () => {
    const res = await post(form());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    const [stored] = await hub.services.db.select().from(expressionsOfInterest);
    expect(stored).toMatchObject({
      id,
      email: 'ana@hospital.example.org',
      form: expect.objectContaining({ organisation: 'Hospital Universitario Ejemplo', interests: ['data_holder', 'ai_tools'] }),
    });

    const tickets = await hub.services.db.select().from(deskTickets);
    expect(tickets.map((t) => [t.group, t.title])).toEqual([['Access', 'Expression of interest: Hospital Universitario Ejemplo']]);

    const admin = await hub.client('admin');
    const outbox = await (await admin.api.v1.outbox.$get()).json();
    expect(outbox.mailer).toBe('outbox');
    const mail = outbox.messages.find((m) => m.to === 'ana@hospital.example.org');
    expect(mail?.subject).toBe('EUCAIM: we received your expression of interest');
    expect(mail?.text).toContain(id);
    expect(mail?.text).toContain('AI Tools and Solutions');
    // The outbox is for admins only.
    expect((await (await hub.client('researcher')).api.v1.outbox.$get()).status).toBe(403);
    expect((await (await hub.client()).api.v1.outbox.$get()).status).toBe(401);
  });

  it.each([
    ['no interest', { interests: [] }, 'interests'],
    ['an interest not on the list', { interests: ['marketing'] }, 'interests[0]'],
    ['the same interest twice', { interests: ['ai_tools', 'ai_tools'] }, 'interests'],
    ['a malformed e-mail', { email: 'ana@' }, 'email'],
    ['an empty organisation', { organisation: '  ' }, 'organisation'],
    ['a missing country', { country: undefined }, 'country'],
    ['an unknown field', { website: 'https://x' }, '(root)'],
    ['a date that is not one', { date: '25/11/2026' }, 'date'],
  ])('refuses %s with 400 naming the field', async (_name, over, path) => {
    const res = await post(form(over));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect((res.body.error as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
  });

  it('refuses a body over 32 KiB with 413 before reading it', async () => {
    const res = await post(form({ capabilities: 'x'.repeat(40_000) }));
    expect(res.status).toBe(413);
  });

  it('limits submissions per e-mail address (3 a day), whatever the client', async () => {
    const email = 'limit-by-mail@example.org';
    for (let i = 0; i < 3; i++) expect((await post(form({ email }))).status).toBe(201);
    const refused = await post(form({ email: 'LIMIT-by-mail@example.org' }));
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect((refused.body.error as { code: string }).code).toBe('rate_limited');
  });

  it('limits submissions per client (10 an hour), counting invalid ones too', async () => {
    const from = '203.0.113.77';
    for (let i = 0; i < 5; i++) expect((await post(form({ email: `client-${i}@example.org` }), from)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await post('{"junk":', from)).status).toBe(400);
    expect((await post(form({ email: 'client-new@example.org' }), from)).status).toBe(429);
    // Another client is unaffected.
    expect((await post(form({ email: 'client-new@example.org' }), '203.0.113.78')).status).toBe(201);
  });
});
