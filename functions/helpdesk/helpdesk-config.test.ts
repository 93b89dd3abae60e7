import { describe, expect, it } from 'vitest';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { loadHubConfig } from '../config.ts';
import { loadWorkerConfig } from '../runtime/worker-services.ts';
import { backoffMs, composeBody } from './ticket-service.ts';
import { htmlToText } from './webhook.ts';

describe('helpdesk and mailer settings', () => {
  it('defaults to the embedded helpdesk and the outbox', () => {
    const c = loadHubConfig({});
    expect([c.HELPDESK, c.MAILER, c.NODE_OFFLINE_TICKET_MINUTES, c.ZAMMAD_TIMEOUT_MS]).toEqual(['embedded', 'outbox', 30, 5000]);
  });

  it('names every Zammad setting missing when HELPDESK=zammad', () => {
    expect(() => loadHubConfig({ HELPDESK: 'zammad' })).toThrow(
      /ZAMMAD_URL: required.*ZAMMAD_TOKEN: required.*ZAMMAD_WEBHOOK_SECRET: required/,
    );
  });

  it('needs SMTP_URL for MAILER=smtp and refuses a URL of another scheme', () => {
    expect(() => loadHubConfig({ MAILER: 'smtp' })).toThrow(/SMTP_URL: required when MAILER=smtp/);
    expect(() => loadHubConfig({ MAILER: 'smtp', SMTP_URL: 'http://relay' })).toThrow(/SMTP_URL: must be an smtp/);
  });

  it('refuses MAILER=smtp on Workers, where nodemailer cannot run, and accepts the outbox', async () => {
    const { privateJwk } = await generateNodeKeyPair();
    const env = { HYPERDRIVE: { connectionString: 'postgres://u:p@127.0.0.1:5432/db' }, JOB_SIGNING_KEY: JSON.stringify(privateJwk) };
    expect(() => loadWorkerConfig({ ...env, MAILER: 'smtp', SMTP_URL: 'smtp://relay.example.org' })).toThrow(
      /MAILER: only outbox is supported on Workers/,
    );
    expect(loadWorkerConfig(env).config.MAILER).toBe('outbox');
  });

  it('refuses a webhook secret too short to be one', () => {
    expect(() =>
      loadHubConfig({
        HELPDESK: 'zammad',
        ZAMMAD_URL: 'https://help.example.org',
        ZAMMAD_TOKEN: 'x'.repeat(20),
        ZAMMAD_WEBHOOK_SECRET: 'short',
      }),
    ).toThrow(/ZAMMAD_WEBHOOK_SECRET/);
  });
});

describe('ticket helpers', () => {
  it('puts the flow context above the text', () => {
    expect(composeBody({ 'node id': 'node-a', contact: 'x@y.org' }, 'Please register.')).toBe(
      'node id: node-a\ncontact: x@y.org\n\nPlease register.',
    );
    expect(composeBody({}, 'Just text')).toBe('Just text');
  });

  it('backs off from 30 s, doubling, to at most an hour', () => {
    expect([1, 2, 3, 4, 10, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it('turns Zammad HTML into text and leaves plain text alone', () => {
    expect(htmlToText('<p>Hello &amp; welcome</p><div>line<br>two &lt;b&gt;</div>', 'text/html')).toBe('Hello & welcome\nline\ntwo <b>');
    expect(htmlToText('<p>as typed</p>', 'text/plain')).toBe('<p>as typed</p>');
  });
});
