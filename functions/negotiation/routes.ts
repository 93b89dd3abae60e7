import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { eucaimApplicationForm, formAnswersSchema, validateAnswers } from '../../shared/negotiation/form-template.ts';
import { lifecycle } from '../../shared/negotiation/lifecycle.ts';
import type { HubEnv } from '../env.ts';
import { requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { handoverReadRoutes, handoverRoutes } from './handover-routes.ts';
import { grantsRoutes, negotiationsRoutes } from './negotiations-routes.ts';

/**
 * Access negotiation, mounted at /api (the hand-over keeps the Negotiator's /api/v3 path). The
 * lifecycle and the grant key are public: anyone may read the rules, and a node must fetch the key
 * without a user's token to check grants offline.
 */
export const negotiationRoutes = new Hono<HubEnv>()
  .get('/v1/negotiation-lifecycle', (c) => c.json(lifecycle))
  .get('/v1/negotiation/keys', (c) => c.json({ keys: c.get('services').grantSigner.publicKeys() }))
  .get('/v1/negotiation/form', requireMember, (c) => c.json(eucaimApplicationForm))
  /** Checks answers as a submission will: 422 naming every field at fault, so drafts can be checked early. */
  .post('/v1/negotiation/form/check', requireMember, validate('json', z.object({ answers: formAnswersSchema }).strict()), (c) => {
    const problems = validateAnswers(eucaimApplicationForm, c.req.valid('json').answers);
    if (problems.length > 0) throw new AppError('unprocessable', `the application has ${problems.length} problem(s)`, problems);
    return c.json({ ok: true as const });
  })
  .route('/v1/negotiations', negotiationsRoutes)
  .route('/v1/negotiation-requests', handoverReadRoutes)
  .route('/v1/grants', grantsRoutes)
  .route('/v3/requests', handoverRoutes);
