import { and, count, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireAdmin } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { negotiationWebhookDeliveries, negotiationWebhooks } from './conversation.sql.ts';
import { currentForm, replaceForm } from './forms.ts';

export const webhookInputSchema = z
  .object({
    url: z
      .string()
      .url()
      .max(2000)
      .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL'),
    /** Shared with the receiver only; it signs deliveries and their acknowledgements. */
    secret: z.string().min(32, 'at least 32 characters').max(200),
  })
  .strict();

const webhookParam = z.object({ id: z.string().regex(idPattern('whk'), 'not a webhook id') });

/** Admins: the application form (mounted at /api/v1/negotiation/form-definition). */
export const formAdminRoutes = new Hono<HubEnv>()
  .use(requireAdmin)
  .get('/', async (c) => c.json(await currentForm(c.get('services').db)))
  /** Stores the body as the next version; 422 with one `{ path, message }` per problem. */
  .put('/', validate('json', z.record(z.string(), z.unknown())), async (c) => {
    const saved = await replaceForm(c.get('services').db, c.req.valid('json'), callingUser(c).user.sub);
    return c.json(saved);
  });

/** Admins: webhook endpoints and their deliveries (mounted at /api/v1/negotiation/webhooks). Secrets are never read back. */
export const webhookAdminRoutes = new Hono<HubEnv>()
  .use(requireAdmin)
  .post('/', validate('json', webhookInputSchema), async (c) => {
    const s = c.get('services');
    const id = newId('whk', s.clock.now().getTime());
    const { url, secret } = c.req.valid('json');
    await s.db.insert(negotiationWebhooks).values({ id, url, secret, createdBy: callingUser(c).user.sub });
    return c.json({ id, url, active: true }, 201);
  })
  .get('/', async (c) => {
    const db = c.get('services').db;
    const hooks = await db
      .select({
        id: negotiationWebhooks.id,
        url: negotiationWebhooks.url,
        active: negotiationWebhooks.active,
        createdAt: negotiationWebhooks.createdAt,
      })
      .from(negotiationWebhooks)
      .orderBy(desc(negotiationWebhooks.id));
    const pending = await db
      .select({ id: negotiationWebhookDeliveries.webhookId, n: count() })
      .from(negotiationWebhookDeliveries)
      .where(and(isNull(negotiationWebhookDeliveries.deliveredAt), isNull(negotiationWebhookDeliveries.failedAt)))
      .groupBy(negotiationWebhookDeliveries.webhookId);
    const failed = await db
      .select({ id: negotiationWebhookDeliveries.webhookId, n: count() })
      .from(negotiationWebhookDeliveries)
      .where(isNotNull(negotiationWebhookDeliveries.failedAt))
      .groupBy(negotiationWebhookDeliveries.webhookId);
    const of = (rows: { id: string; n: number }[], id: string) => rows.find((r) => r.id === id)?.n ?? 0;
    return c.json({
      webhooks: hooks.map((h) => ({ ...h, createdAt: h.createdAt.toISOString(), pending: of(pending, h.id), failed: of(failed, h.id) })),
    });
  })
  .get('/:id/deliveries', validate('param', webhookParam), async (c) => {
    const rows = await c
      .get('services')
      .db.select()
      .from(negotiationWebhookDeliveries)
      .where(eq(negotiationWebhookDeliveries.webhookId, c.req.valid('param').id))
      .orderBy(desc(negotiationWebhookDeliveries.id))
      .limit(200);
    return c.json({
      deliveries: rows.map((d) => ({
        id: d.id,
        happeningId: d.happeningId,
        attempts: d.attempts,
        state: d.deliveredAt ? ('delivered' as const) : d.failedAt ? ('failed' as const) : ('pending' as const),
        nextAttemptAt: d.nextAttemptAt.toISOString(),
        lastError: d.lastError,
      })),
    });
  })
  /** Stops deliveries to the endpoint; its history stays for the record. */
  .delete('/:id', validate('param', webhookParam), async (c) => {
    const [row] = await c
      .get('services')
      .db.update(negotiationWebhooks)
      .set({ active: false })
      .where(eq(negotiationWebhooks.id, c.req.valid('param').id))
      .returning({ id: negotiationWebhooks.id });
    if (!row) throw new AppError('not_found', 'no such webhook');
    return c.json({ id: row.id, active: false });
  });
