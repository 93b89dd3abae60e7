import nodemailer from 'nodemailer';
import type { Mailer } from '../ports/mailer.ts';

/**
 * SMTP through nodemailer (Node and Lambda; Workers cannot open its sockets and use the outbox).
 * Timeouts are bounded so a stuck relay cannot hold a request; the URL carries any credentials
 * and is never logged.
 */
export function createSmtpMailer(opts: { url: string; from: string; timeoutMs?: number }): Mailer & { close(): void } {
  const timeout = opts.timeoutMs ?? 10_000;
  const u = new URL(opts.url);
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // A relay on loopback or a private network may speak plain SMTP; STARTTLS is still used when offered.
    ignoreTLS: u.searchParams.get('tls') === 'off',
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ from: opts.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
