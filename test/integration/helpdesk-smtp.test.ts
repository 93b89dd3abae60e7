import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../functions/adapters/mailer-smtp.ts';
import { expressionsOfInterest } from '../../functions/helpdesk/helpdesk.sql.ts';
import { freePort } from '../support/ports.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

describe('the SMTP mailer against smtp-server on loopback', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let hub: TestHub;
  beforeAll(async () => {
    sink = await startSmtpSink({ user: 'relay', pass: 's3cret-pass' });
    hub = await startTestHub({
      env: {
        MAILER: 'smtp',
        SMTP_URL: `smtp://relay:s3cret-pass@127.0.0.1:${sink.port}?tls=off`,
        MAIL_FROM: 'EUCAIM <noreply@eucaim.example.org>',
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await sink?.close();
  });

  it('delivers a plain-text message with the configured sender, authenticating with the URL credentials', async () => {
    const mailer = createSmtpMailer({
      url: `smtp://relay:s3cret-pass@127.0.0.1:${sink.port}?tls=off`,
      from: 'EUCAIM <noreply@eucaim.example.org>',
    });
    await mailer.send({ to: 'someone@example.org', subject: 'Hello from the hub', text: 'Line one\nLine two' });
    mailer.close();
    const mail = sink.received.at(-1);
    expect(mail?.from).toBe('noreply@eucaim.example.org');
    expect(mail?.to).toEqual(['someone@example.org']);
    expect(mail?.raw).toContain('Subject: Hello from the hub');
    expect(mail?.raw).toContain('Line one');
  });

  it('fails when the relay refuses the credentials', async () => {
    const mailer = createSmtpMailer({ url: `smtp://relay:wrong@127.0.0.1:${sink.port}?tls=off`, from: 'x@example.org' });
    await expect(mailer.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow();
    mailer.close();
  });

  it('acknowledges an expression of interest through SMTP when the hub is configured so', async () => {
    const before = sink.received.length;
    const res = await fetch(`${hub.url}/api/v1/expressions-of-interest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: '2026-11-25',
        contactPerson: 'Jan Jansen',
        gender: 'male',
        email: 'jan@example.nl',
        telephone: '+31 20 000 0000',
        jobTitle: 'CTO',
        organisation: 'Imaging BV',
        department: 'R&D',
        street: 'Straat 1',
        town: 'Amsterdam',
        postCode: '1011 AA',
        country: 'Netherlands',
        interests: ['technical_resources'],
        capabilities: 'Storage and compute.',
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(sink.received.length).toBe(before + 1);
    expect(sink.received.at(-1)?.to).toEqual(['jan@example.nl']);
  });

  it('keeps the expression of interest when the relay is unreachable (the acknowledgement failure is only logged)', async () => {
    const down = await startTestHub({ env: { MAILER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${await freePort()}?tls=off` } });
    try {
      const res = await fetch(`${down.url}/api/v1/expressions-of-interest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          date: '2026-11-25',
          contactPerson: 'Eva Berg',
          gender: 'prefer_not_to_say',
          email: 'eva@example.se',
          telephone: '+46 8 000 000',
          jobTitle: 'Researcher',
          organisation: 'Lab AB',
          department: 'AI',
          street: 'Gatan 2',
          town: 'Stockholm',
          postCode: '111 22',
          country: 'Sweden',
          interests: ['elsi_ehds', 'dissemination'],
          capabilities: 'Policy work.',
        }),
      });
      expect(res.status).toBe(201);
      expect(await down.services.db.select().from(expressionsOfInterest)).toHaveLength(1);
    } finally {
      await down.stop();
    }
  });
});
