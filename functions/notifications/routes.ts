import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { listNotifications, markRead } from './notify.ts';

const idParam = z.object({ id: z.string().regex(/^ntf_[0-9a-z]{26}$/, 'not a notification id') });
const listQuery = z.object({ unread: z.enum(['true', 'false']).optional() });
const listSchema = z.object({
  notifications: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      link: z.string().nullable(),
      read: z.boolean(),
      createdAt: z.iso.datetime(),
    }),
  ),
  unread: z.number().int(),
});

/** The caller's own notices (mounted at /api/v1/me/notifications). */
export const notificationRoutes = hubRouter({ tag: 'Notifications' })
  .add(
    {
      method: 'get',
      path: '/',
      access: 'user',
      summary: 'my in-app notifications, newest first (`?unread=true` for unread only)',
      request: { query: listQuery },
      responses: { 200: json(listSchema, 'At most 100 notices and how many are unread.') },
    },
    async (c) => {
      const p = callingUser(c);
      const list = await listNotifications(c.get('services').db, p.user.sub, { unreadOnly: c.req.valid('query').unread === 'true' });
      return c.json({ notifications: list, unread: list.filter((n) => !n.read).length });
    },
  )
  .add(
    {
      method: 'post',
      path: '/:id/read',
      access: 'user',
      rule: 'their own notices only',
      summary: 'mark a notification read',
      request: { params: idParam },
      responses: { 200: json(z.object({ read: z.boolean() }), 'Marked read.') },
      errors: { not_found: 'no such notification of the caller' },
    },
    async (c) => {
      const p = callingUser(c);
      const s = c.get('services');
      if (!(await markRead(s.db, p.user.sub, c.req.valid('param').id, s.clock.now())))
        throw new AppError('not_found', 'no such notification');
      return c.json({ read: true });
    },
  );
