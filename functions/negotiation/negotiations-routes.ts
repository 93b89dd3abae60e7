import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { idPattern, newId } from '../../shared/ids.ts';
import { formAnswersSchema, formDefinitionSchema, validateAnswers } from '../../shared/negotiation/form-template.ts';
import { nodeSchema } from '../../shared/query.ts';
import { datasetEventSchema, negotiationEventSchema } from '../../shared/negotiation/lifecycle.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import { conversationRoutes } from './conversation-routes.ts';
import { currentForm, formVersion } from './forms.ts';
import { fireDatasetEvent, fireNegotiationEvent, grantTermsSchema } from './lifecycle-service.ts';
import type { Database } from '../db/client.ts';
import { negotiationDatasets, negotiationRequests, negotiations } from './negotiation.sql.ts';
import { negotiationView, readableNegotiation, unknownDatasets } from './negotiation-store.ts';
import { negotiationListSchema, negotiationViewSchema, waitingSchema } from './responses.ts';
import { waitingFor } from './waiting.ts';

/** Either the datasets themselves (our own cart) or a selection a catalogue handed over. */
export const createNegotiationSchema = z.union([
  z
    .object({
      resources: z
        .array(z.object({ id: z.string().uuid('not a dataset id') }).strict())
        .min(1)
        .max(50)
        .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, 'a dataset is listed twice'),
      humanReadable: z.string().max(5000).default(''),
      /** The federated search the datasets were found with (our own explorer's cart). */
      query: nodeSchema.optional(),
    })
    .strict(),
  z.object({ request: z.string().regex(idPattern('req'), 'not a request id') }).strict(),
]);

async function handedOverRequest(db: Database, id: string) {
  const [row] = await db.select().from(negotiationRequests).where(eq(negotiationRequests.id, id));
  if (!row) throw new AppError('not_found', 'no such request');
  if (row.negotiationId) throw new AppError('conflict', 'an application was already started from this request');
  return row;
}

const idParam = z.object({ id: z.string().regex(idPattern('neg'), 'not a negotiation id') });
const datasetParam = idParam.extend({ datasetId: z.string().uuid('not a dataset id') });

// The routes, declared once each; the handlers below take them in order.
const READERS = 'its author, representatives of its datasets, and platform admins (404 for anyone else)';
const readable = { access: 'user', rule: READERS, errors: { not_found: 'no such negotiation the caller may read' } } as const;
const view = json(negotiationViewSchema, 'The negotiation with its datasets, timeline and grants.');
const create = defineRoute({
  method: 'post',
  path: '/',
  access: 'member',
  summary: 'start an application from `{ resources, humanReadable?, query? }` (the cart) or `{ request }` (a hand-over)',
  request: { json: createNegotiationSchema },
  responses: { 201: json(negotiationViewSchema, 'Started as a draft.') },
  errors: {
    bad_request: 'the input is not valid, or a dataset is unknown or no longer published',
    not_found: 'no such handed-over request',
    conflict: 'an application was already started from this request',
  },
});
const list = defineRoute({
  method: 'get',
  path: '/',
  access: 'user',
  summary: 'my applications',
  responses: { 200: json(negotiationListSchema, 'Newest first.') },
});
const waiting = defineRoute({
  method: 'get',
  path: '/waiting',
  access: 'user',
  rule: 'what waits for the caller as a representative or platform admin',
  summary: 'what waits for me, with the events I may fire now',
  responses: { 200: json(waitingSchema, 'The negotiations and datasets waiting for the caller.') },
});
const form = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id/form',
  summary: 'the form version the application was started with',
  request: { params: idParam },
  responses: { 200: json(formDefinitionSchema, 'The form its answers are checked against.') },
});
const one = defineRoute({
  ...readable,
  method: 'get',
  path: '/:id',
  summary: 'one application',
  request: { params: idParam },
  responses: { 200: view },
});
const answers = defineRoute({
  method: 'put',
  path: '/:id/answers',
  access: 'user',
  rule: 'its author',
  summary: 'save the draft `{ answers }` (409 once submitted): incomplete is fine until submit, unknown fields are not',
  request: { params: idParam, json: z.object({ answers: formAnswersSchema }).strict() },
  responses: { 200: view },
  errors: {
    forbidden: 'only the researcher who wrote it edits an application',
    not_found: 'no such negotiation the caller may read',
    unprocessable: 'answers to fields the form does not have',
    conflict: 'the application was submitted and can no longer be changed',
  },
});
const TRANSITION_ERRORS = {
  ...readable.errors,
  forbidden: "the caller's roles may never fire this event (`details` names the roles that may)",
  conflict: 'not allowed now (`details` lists the events allowed now)',
  unprocessable: 'the application form is incomplete',
} as const;
const fire = defineRoute({
  method: 'post',
  path: '/:id/events',
  access: 'user',
  rule: 'by role, as the negotiation state chart says (GET /api/v1/negotiation-lifecycle)',
  summary: 'fire `{ event }` on the application; 403 wrong role, 409 wrong time (with the allowed events), 422 incomplete form',
  request: { params: idParam, json: z.object({ event: negotiationEventSchema }).strict() },
  responses: { 200: view },
  errors: TRANSITION_ERRORS,
});
const fireDataset = defineRoute({
  method: 'post',
  path: '/:id/datasets/:datasetId/events',
  access: 'user',
  rule: 'by role, as the dataset state chart says; datasets move only while the negotiation is in progress',
  summary: 'fire `{ event, grant? }` on one requested dataset (granting access issues a signed grant); 403 wrong role, 409 wrong time',
  request: { params: datasetParam, json: z.object({ event: datasetEventSchema, grant: grantTermsSchema.optional() }).strict() },
  responses: { 200: view },
  errors: TRANSITION_ERRORS,
});

/** Negotiations, mounted at /api/v1/negotiations; every route needs a user, creating one a member. */
export const negotiationsRoutes = hubRouter({ tag: 'Negotiation' })
  .add(create, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const body = c.req.valid('json');
    const handedOver = 'request' in body ? await handedOverRequest(s.db, body.request) : undefined;
    const datasets = handedOver ? handedOver.resources : 'resources' in body ? body.resources.map((r) => r.id) : [];
    // Checked again for a handed-over selection: a dataset may have been withdrawn since.
    const unknown = await unknownDatasets(s.db, datasets);
    if (unknown.length > 0)
      throw new AppError(
        'bad_request',
        'unknown datasets',
        unknown.map((id) => ({ path: 'resources', message: `no published dataset ${id}` })),
      );
    const id = newId('neg', s.clock.now().getTime());
    const humanReadable = handedOver?.humanReadable ?? ('humanReadable' in body ? body.humanReadable : '');
    const query = handedOver ? handedOver.query : 'query' in body ? body.query : undefined;
    await s.db.transaction(async (tx) => {
      // The newest form version; the negotiation keeps it even when admins store another one.
      const form = await currentForm(tx);
      await tx.insert(negotiations).values({
        id,
        author: user.user.sub,
        state: 'DRAFT',
        formId: form.id,
        formVersion: form.version,
        answers: {},
        humanReadable,
        query: query ?? null,
      });
      await tx.insert(negotiationDatasets).values(datasets.map((d) => ({ negotiationId: id, datasetId: d, state: 'SUBMITTED' as const })));
      if (!handedOver) return;
      // A hand-over starts one negotiation only, even when two tabs try at once.
      const [claimed] = await tx
        .update(negotiationRequests)
        .set({ negotiationId: id })
        .where(and(eq(negotiationRequests.id, handedOver.id), isNull(negotiationRequests.negotiationId)))
        .returning({ id: negotiationRequests.id });
      if (!claimed) throw new AppError('conflict', 'an application was already started from this request');
    });
    return c.json(await negotiationView(s.db, await readableNegotiation(s.db, user, id)), 201);
  })
  .add(list, async (c) => {
    const s = c.get('services');
    const rows = await s.db
      .select({ id: negotiations.id, state: negotiations.state, createdAt: negotiations.createdAt })
      .from(negotiations)
      .where(eq(negotiations.author, callingUser(c).user.sub))
      .orderBy(desc(negotiations.id));
    return c.json({ negotiations: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) });
  })
  /** What waits for the caller as a representative or admin, with the events they may fire now. */
  .add(waiting, async (c) => c.json({ negotiations: await waitingFor(c.get('services').db, callingUser(c)) }))
  /** The form version this negotiation was started with, which its answers are checked against. */
  .add(form, async (c) => {
    const s = c.get('services');
    const row = await readableNegotiation(s.db, callingUser(c), c.req.valid('param').id);
    return c.json(await formVersion(s.db, row.formId, row.formVersion));
  })
  .add(one, async (c) => {
    const s = c.get('services');
    return c.json(await negotiationView(s.db, await readableNegotiation(s.db, callingUser(c), c.req.valid('param').id)));
  })
  /** Saves the application as a draft: incomplete answers are fine until submit, unknown fields are not. */
  .add(answers, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const row = await readableNegotiation(s.db, user, c.req.valid('param').id);
    if (row.author !== user.user.sub) throw new AppError('forbidden', 'only the researcher who wrote it edits an application');
    const { answers } = c.req.valid('json');
    const strangers = validateAnswers(await formVersion(s.db, row.formId, row.formVersion), answers).filter((p) => !p.path.includes('.'));
    if (strangers.length > 0) throw new AppError('unprocessable', 'answers to fields the form does not have', strangers);
    const [saved] = await s.db
      .update(negotiations)
      .set({ answers, updatedAt: s.clock.now() })
      .where(and(eq(negotiations.id, row.id), eq(negotiations.state, 'DRAFT')))
      .returning({ id: negotiations.id });
    if (!saved) throw new AppError('conflict', 'the application was submitted and can no longer be changed');
    return c.json(await negotiationView(s.db, { ...row, answers }));
  })
  .add(fire, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const { id } = c.req.valid('param');
    await fireNegotiationEvent(s, user, id, c.req.valid('json').event);
    return c.json(await negotiationView(s.db, await readableNegotiation(s.db, user, id)));
  })
  .add(fireDataset, async (c) => {
    const s = c.get('services');
    const user = callingUser(c);
    const { id, datasetId } = c.req.valid('param');
    const { event, grant } = c.req.valid('json');
    await fireDatasetEvent(s, user, id, datasetId, event, grant);
    return c.json(await negotiationView(s.db, await readableNegotiation(s.db, user, id)));
  })
  .route('/', conversationRoutes);
