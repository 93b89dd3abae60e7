import { desc } from 'drizzle-orm';
import { mailOutbox } from '../adapters/mailer-outbox.sql.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { outboxSchema } from './responses.ts';

/** GET /api/v1/outbox: the embedded mailer's messages, newest first (the local demo's inbox). */
export const outboxRoutes = hubRouter({ tag: 'Helpdesk' }).add(
  {
    method: 'get',
    path: '/',
    access: 'admin',
    summary: "the outbox mailer's messages",
    description: "The embedded mailer's messages, newest first (the local demo's inbox); empty with SMTP.",
    responses: { 200: json(outboxSchema, 'At most 200 messages.') },
  },
  async (c) => {
    const rows = await c.get('services').db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(200);
    return c.json({ mailer: c.get('services').mailer.kind, messages: rows.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) });
  },
);
