import { desc } from 'drizzle-orm';
import { Hono } from 'hono';
import { mailOutbox } from '../adapters/mailer-outbox.sql.ts';
import type { HubEnv } from '../env.ts';
import { requireAdmin } from '../middleware/guards.ts';

/** GET /api/v1/outbox: the embedded mailer's messages, newest first (the local demo's inbox). */
export const outboxRoutes = new Hono<HubEnv>().get('/', requireAdmin, async (c) => {
  const rows = await c.get('services').db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(200);
  return c.json({ mailer: c.get('services').mailer.kind, messages: rows.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) });
});
