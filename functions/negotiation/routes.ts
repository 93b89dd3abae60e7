import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { formAnswersSchema, validateAnswers } from '../../shared/negotiation/form-template.ts';
import { lifecycle } from '../../shared/negotiation/lifecycle.ts';
import type { HubEnv } from '../env.ts';
import { createMiddleware } from 'hono/factory';
import { requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { handoverReadRoutes, handoverRoutes } from './handover-routes.ts';
import { formAdminRoutes, webhookAdminRoutes } from './admin-routes.ts';
import { currentForm } from './forms.ts';
import { grantsRoutes } from './grants-routes.ts';
import { rememberContact } from './happenings.ts';
import { negotiationsRoutes } from './negotiations-routes.ts';

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
export const negotiationRoutes = new Hono<HubEnv>()
  .get('/v1/negotiation-lifecycle', (c) => c.json(lifecycle))
  .get('/v1/negotiation/keys', (c) => c.json({ keys: c.get('services').grantSigner.publicKeys() }))
  .use('/v1/negotiations/*', learnContact)
  .use('/v1/negotiations', learnContact)
  .use('/v1/grants/*', learnContact)
  .use('/v1/grants', learnContact)
  .get('/v1/negotiation/form', requireMember, async (c) => c.json(await currentForm(c.get('services').db)))
  /** Checks answers as a submission will: 422 naming every field at fault, so drafts can be checked early. */
  .post('/v1/negotiation/form/check', requireMember, validate('json', z.object({ answers: formAnswersSchema }).strict()), async (c) => {
    const problems = validateAnswers(await currentForm(c.get('services').db), c.req.valid('json').answers);
    if (problems.length > 0) throw new AppError('unprocessable', `the application has ${problems.length} problem(s)`, problems);
    return c.json({ ok: true as const });
  })
  .route('/v1/negotiation/form-definition', formAdminRoutes)
  .route('/v1/negotiation/webhooks', webhookAdminRoutes)
  .route('/v1/negotiations', negotiationsRoutes)
  .route('/v1/negotiation-requests', handoverReadRoutes)
  .route('/v1/grants', grantsRoutes)
  .route('/v3/requests', handoverRoutes);
