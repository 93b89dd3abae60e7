import { and, desc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import type { Database } from '../db/client.ts';
import { notifications } from './notifications.sql.ts';

export interface Notice {
  /** What happened, as a short machine name: `helpdesk.reply`, `negotiation.status`... */
  kind: string;
  title: string;
  /** A path of the web app where the user can see more. */
  link?: string;
}

/** Tells one user something in-app; they see it under /notifications until they mark it read. */
export async function notify(db: Database, subject: string, notice: Notice, now: Date = new Date()): Promise<string> {
  const id = newId('ntf', now.getTime());
  await db
    .insert(notifications)
    .values({ id, subject, kind: notice.kind, title: notice.title.slice(0, 300), link: notice.link ?? null, createdAt: now });
  return id;
}

export async function listNotifications(db: Database, subject: string, opts: { unreadOnly?: boolean; limit?: number } = {}) {
  const rows = await db
    .select()
    .from(notifications)
    .where(opts.unreadOnly ? and(eq(notifications.subject, subject), isNull(notifications.readAt)) : eq(notifications.subject, subject))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit ?? 100);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    link: r.link,
    read: r.readAt !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Marks one of the user's own notices read; someone else's id changes nothing and answers false. */
export async function markRead(db: Database, subject: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.subject, subject)))
    .returning({ id: notifications.id });
  return rows.length === 1;
}
