import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { formAnswersSchema, formDefinitionSchema, validateAnswers } from '../../shared/negotiation/form-template.ts';
import { lifecycle } from '../../shared/negotiation/lifecycle.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import type { HubEnv } from '../env.ts';
import { handoverReadRoutes, handoverRoutes } from './handover-routes.ts';
import { formAdminRoutes, webhookAdminRoutes } from './admin-routes.ts';
import { currentForm } from './forms.ts';
import { grantsRoutes } from './grants-routes.ts';
import { rememberContact } from './happenings.ts';
import { negotiationsRoutes } from './negotiations-routes.ts';
import { grantKeysSchema, lifecycleSchema } from './responses.ts';

/** Learns where to mail the caller (and whether they are an admin) from their token; never fails the request. */
const learnContact = createMiddleware<HubEnv>(async (c, next) => {
  const p = c.get('principal');
  const s = c.get('services');
  if (p.kind === 'user')
    await rememberContact(s.db, { subject: p.user.sub, email: p.user.email, name: p.user.name, admin: p.admin }, s.clock.now()).catch(
      (err) => s.logger.warn('could not remember a contact', { error: (err as Error).message }),
    );
  return next();
});

/**
 * Access negotiation, mounted at /api (the hand-over keeps the Negotiator's /api/v3 path). The
 * lifecycle and the grant key are public: anyone may read the rules, and a node must fetch the key
 * without a user's token to check grants offline.
 */
export const negotiationRoutes = hubRouter({ tag: 'Negotiation' })
  .add(
    {
      method: 'get',
      path: '/v1/negotiation-lifecycle',
      access: 'public',
      summary: 'the negotiation and dataset state charts as data (states, events, roles, final states)',
      responses: { 200: json(lifecycleSchema, 'The charts the hub and the web app both follow.') },
    },
    (c) => c.json(lifecycle),
  )
  .add(
    {
      method: 'get',
      path: '/v1/negotiation/keys',
      access: 'public',
      summary: "the hub's grant key set (JWKS): nodes verify grants offline",
      responses: { 200: json(grantKeysSchema, 'The public keys grants are signed with.') },
    },
    (c) => c.json({ keys: c.get('services').grantSigner.publicKeys() }),
  )
  .add(
    {
      method: 'get',
      path: '/v1/negotiation/form',
      access: 'member',
      summary: 'the current application form',
      responses: { 200: json(formDefinitionSchema, 'The newest form version; new requests use it.') },
    },
    async (c) => c.json(await currentForm(c.get('services').db)),
  )
  /** Checks answers as a submission will: 422 naming every field at fault, so drafts can be checked early. */
  .add(
    {
      method: 'post',
      path: '/v1/negotiation/form/check',
      access: 'member',
      summary: 'check `{ answers }` as a submission will (422, one `{ path, message }` per field)',
      request: { json: z.object({ answers: formAnswersSchema }).strict() },
      responses: { 200: json(z.object({ ok: z.literal(true) }), 'Every answer is fine.') },
      errors: { unprocessable: 'the application has problems; `details` has one `{ path, message }` per field' },
    },
    async (c) => {
      const problems = validateAnswers(await currentForm(c.get('services').db), c.req.valid('json').answers);
      if (problems.length > 0) throw new AppError('unprocessable', `the application has ${problems.length} problem(s)`, problems);
      return c.json({ ok: true as const });
    },
  )
  .use('/v1/negotiations/*', learnContact)
  .use('/v1/negotiations', learnContact)
  .use('/v1/grants/*', learnContact)
  .use('/v1/grants', learnContact)
  .route('/v1/negotiation/form-definition', formAdminRoutes)
  .route('/v1/negotiation/webhooks', webhookAdminRoutes)
  .route('/v1/negotiations', negotiationsRoutes)
  .route('/v1/negotiation-requests', handoverReadRoutes)
  .route('/v1/grants', grantsRoutes)
  .route('/v3/requests', handoverRoutes);
