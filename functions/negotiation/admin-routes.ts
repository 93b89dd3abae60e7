import { and, count, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import { formDefinitionSchema } from '../../shared/negotiation/form-template.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { negotiationWebhookDeliveries, negotiationWebhooks } from './conversation.sql.ts';
import { currentForm, replaceForm } from './forms.ts';
import { deliveryListSchema, webhookListSchema } from './responses.ts';

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

// The routes, declared once each (platform admins only); the handlers below take them in order.
const readForm = defineRoute({
  method: 'get',
  path: '/',
  access: 'admin',
  summary: 'the application form definition',
  responses: { 200: json(formDefinitionSchema, 'The newest version.') },
});
const storeForm = defineRoute({
  method: 'put',
  path: '/',
  access: 'admin',
  summary: 'store the next form version; new requests use it, started ones keep theirs',
  request: { json: z.record(z.string(), z.unknown()) },
  responses: { 200: json(formDefinitionSchema, 'The stored version.') },
  errors: {
    unprocessable: 'the definition has problems; one `{ path, message }` per problem',
    conflict: 'someone saved another version at the same time',
  },
});
const addHook = defineRoute({
  method: 'post',
  path: '/',
  access: 'admin',
  summary:
    'register a signed webhook `{ url, secret }` (`webhook-signature: v1=` HMAC-SHA256 over `id.timestamp.payload`); a delivery is done only on a valid signed acknowledgement',
  description:
    'Deliveries are signed (`webhook-signature: v1=` HMAC-SHA256 over `id.timestamp.payload`); a delivery is done only on a valid signed acknowledgement. The secret is never read back.',
  request: { json: webhookInputSchema },
  responses: { 201: json(z.object({ id: z.string(), url: z.string(), active: z.boolean() }), 'Registered.') },
});
const listHooks = defineRoute({
  method: 'get',
  path: '/',
  access: 'admin',
  summary: 'webhook endpoints with pending and failed delivery counts',
  responses: { 200: json(webhookListSchema, 'Newest first.') },
});
const deliveries = defineRoute({
  method: 'get',
  path: '/:id/deliveries',
  access: 'admin',
  summary: "an endpoint's last deliveries",
  request: { params: webhookParam },
  responses: { 200: json(deliveryListSchema, 'At most 200, newest first.') },
});
const stopHook = defineRoute({
  method: 'delete',
  path: '/:id',
  access: 'admin',
  summary: 'stop deliveries to an endpoint (its history stays)',
  request: { params: webhookParam },
  responses: { 200: json(z.object({ id: z.string(), active: z.boolean() }), 'Stopped.') },
  errors: { not_found: 'no such webhook' },
});

/** Admins: the application form (mounted at /api/v1/negotiation/form-definition). */
export const formAdminRoutes = hubRouter({ tag: 'Negotiation' })
  .add(readForm, async (c) => c.json(await currentForm(c.get('services').db)))
  /** Stores the body as the next version; 422 with one `{ path, message }` per problem. */
  .add(storeForm, async (c) => {
    const saved = await replaceForm(c.get('services').db, c.req.valid('json'), callingUser(c).user.sub);
    return c.json(saved);
  });

/** Admins: webhook endpoints and their deliveries (mounted at /api/v1/negotiation/webhooks). Secrets are never read back. */
export const webhookAdminRoutes = hubRouter({ tag: 'Negotiation' })
  .add(addHook, async (c) => {
    const s = c.get('services');
    const id = newId('whk', s.clock.now().getTime());
    const { url, secret } = c.req.valid('json');
    await s.db.insert(negotiationWebhooks).values({ id, url, secret, createdBy: callingUser(c).user.sub });
    return c.json({ id, url, active: true }, 201);
  })
  .add(listHooks, async (c) => {
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
  .add(deliveries, async (c) => {
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
  .add(stopHook, async (c) => {
    const [row] = await c
      .get('services')
      .db.update(negotiationWebhooks)
      .set({ active: false })
      .where(eq(negotiationWebhooks.id, c.req.valid('param').id))
      .returning({ id: negotiationWebhooks.id });
    if (!row) throw new AppError('not_found', 'no such webhook');
    return c.json({ id: row.id, active: false });
  });
