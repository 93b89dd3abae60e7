/** One plain-text message; the sender is the platform's configured MAIL_FROM. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing e-mail: SMTP (nodemailer) on Node and Lambda, or the outbox table (the local default,
 * and the only choice on Workers, where nodemailer cannot open sockets). Sending may throw.
 */
export interface Mailer {
  readonly kind: 'outbox' | 'smtp';
  send(mail: Mail): Promise<void>;
}
