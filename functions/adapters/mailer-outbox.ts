import { newId } from '../../shared/ids.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { Mailer } from '../ports/mailer.ts';
import { mailOutbox } from './mailer-outbox.sql.ts';

/** The embedded mailer: every message becomes a row admins can read (GET /api/v1/outbox). */
export function createOutboxMailer(db: Database, clock: Clock, from: string): Mailer {
  return {
    kind: 'outbox',
    async send(mail) {
      await db
        .insert(mailOutbox)
        .values({ id: newId('mail'), from, to: mail.to, subject: mail.subject, text: mail.text, createdAt: clock.now() });
    },
  };
}
