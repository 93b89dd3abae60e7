import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { callingUser } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { listNotifications, markRead } from './notify.ts';

const idParam = z.object({ id: z.string().regex(/^ntf_[0-9a-z]{26}$/, 'not a notification id') });
const listQuery = z.object({ unread: z.enum(['true', 'false']).optional() });

/** The caller's own notices (mounted at /api/v1/me/notifications). */
export const notificationRoutes = new Hono<HubEnv>()
  .get('/', validate('query', listQuery), async (c) => {
    const p = callingUser(c);
    const list = await listNotifications(c.get('services').db, p.user.sub, { unreadOnly: c.req.valid('query').unread === 'true' });
    return c.json({ notifications: list, unread: list.filter((n) => !n.read).length });
  })
  .post('/:id/read', validate('param', idParam), async (c) => {
    const p = callingUser(c);
    const s = c.get('services');
    if (!(await markRead(s.db, p.user.sub, c.req.valid('param').id, s.clock.now())))
      throw new AppError('not_found', 'no such notification');
    return c.json({ read: true });
  });
