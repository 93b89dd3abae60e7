import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import { nodeSchema } from '../../shared/query.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { negotiationRequests } from './negotiation.sql.ts';
import { unknownDatasets } from './negotiation-store.ts';
import { handedOverSchema } from './responses.ts';

/**
 * The BBMRI-ERIC Negotiator's hand-over, so existing catalogues work unchanged: extra fields they
 * send (dataset names, collection ids) are ignored rather than refused.
 */
export const handoverSchema = z.object({
  url: z.string().url().max(2000),
  humanReadable: z.string().max(5000).default(''),
  resources: z
    .array(z.object({ id: z.string().min(1).max(255) }))
    .min(1)
    .max(50),
  query: nodeSchema.optional(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Mounted at /api/v3/requests: public, because the catalogue hands over before the user logs in. */
export const handoverRoutes = hubRouter({ tag: 'Negotiator v3 (interop)' }).add(
  {
    method: 'post',
    path: '/',
    access: 'public',
    summary:
      'catalogue hand-over `{ url, humanReadable, resources: [{id}], query? }` → 201 `redirectUrl`; 400 for unknown datasets or an unregistered origin',
    description:
      "The BBMRI-ERIC Negotiator's v3 hand-over, so existing catalogues work unchanged: extra fields are ignored. Answers 201 with `redirectUrl`, where the user logs in and starts the application.",
    request: { json: handoverSchema },
    responses: { 201: json(handedOverSchema.extend({ redirectUrl: z.string() }), 'Stored; send the user to `redirectUrl`.') },
    errors: { bad_request: 'unknown datasets, or `url` is not from a registered discovery service' },
  },
  async (c) => {
    const s = c.get('services');
    const body = c.req.valid('json');
    const allowed = new Set([new URL(s.config.PUBLIC_URL).origin, ...s.config.NEGOTIATION_DISCOVERY_ORIGINS]);
    if (!allowed.has(new URL(body.url).origin))
      throw new AppError('bad_request', 'url is not from a registered discovery service', [
        { path: 'url', message: 'origin not registered' },
      ]);
    const ids = [...new Set(body.resources.map((r) => r.id))];
    const malformed = ids.filter((id) => !UUID.test(id));
    const unknown = [
      ...malformed,
      ...(await unknownDatasets(
        s.db,
        ids.filter((id) => UUID.test(id)),
      )),
    ];
    if (unknown.length > 0)
      throw new AppError(
        'bad_request',
        'unknown datasets',
        unknown.map((id) => ({ path: 'resources', message: `no published dataset ${id}` })),
      );
    const id = newId('req', s.clock.now().getTime());
    await s.db
      .insert(negotiationRequests)
      .values({ id, url: body.url, humanReadable: body.humanReadable, resources: ids, query: body.query ?? null });
    return c.json(
      {
        id,
        url: body.url,
        humanReadable: body.humanReadable,
        resources: ids.map((r) => ({ id: r })),
        redirectUrl: `${s.config.PUBLIC_URL}/negotiation/requests/${id}`,
      },
      201,
    );
  },
);

/** A handed-over selection, for the page the user lands on after logging in; mounted at /api/v1/negotiation-requests. */
export const handoverReadRoutes = hubRouter({ tag: 'Negotiation' }).add(
  {
    method: 'get',
    path: '/:id',
    access: 'user',
    summary: 'a handed-over selection, for the page the user lands on after logging in',
    request: { params: z.object({ id: z.string().regex(idPattern('req'), 'not a request id') }) },
    responses: {
      200: json(handedOverSchema.extend({ started: z.boolean() }), 'The selection, and whether an application was started from it.'),
    },
    errors: { not_found: 'no such request' },
  },
  async (c) => {
    callingUser(c);
    const [row] = await c
      .get('services')
      .db.select()
      .from(negotiationRequests)
      .where(eq(negotiationRequests.id, c.req.valid('param').id));
    if (!row) throw new AppError('not_found', 'no such request');
    return c.json({
      id: row.id,
      url: row.url,
      humanReadable: row.humanReadable,
      resources: row.resources.map((r) => ({ id: r })),
      started: row.negotiationId !== null,
    });
  },
);
