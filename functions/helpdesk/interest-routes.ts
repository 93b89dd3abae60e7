import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { validate } from '../middleware/validate.ts';
import { expressionOfInterestSchema, submitInterest } from './interest.ts';
import { clientAddress } from './client-address.ts';
import { enforceLimits } from './rate-limit.ts';

/** A full form is a few KiB: anything far bigger is abuse, refused before it is read. */
export const MAX_INTEREST_BYTES = 32 * 1024;
export const INTEREST_LIMITS = { perEmailPerDay: 3, perClientPerHour: 10 };

/** POST /api/v1/expressions-of-interest: public (seed 5.1), so size- and rate-limited. */
export const interestRoutes = new Hono<HubEnv>().post(
  '/',
  bodyLimit({
    maxSize: MAX_INTEREST_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `the form is limited to ${MAX_INTEREST_BYTES} bytes`);
    },
  }),
  async (c, next) => {
    // Per client before the body is even validated, so a flood of junk is refused cheaply too.
    const s = c.get('services');
    await enforceLimits(s, [
      { key: `eoi:client:${clientAddress(c, s.config.TRUSTED_PROXIES)}`, max: INTEREST_LIMITS.perClientPerHour, windowMs: 3_600_000 },
    ]);
    return next();
  },
  validate('json', expressionOfInterestSchema),
  async (c) => {
    const s = c.get('services');
    const form = c.req.valid('json');
    await enforceLimits(s, [{ key: `eoi:email:${form.email.toLowerCase()}`, max: INTEREST_LIMITS.perEmailPerDay, windowMs: 86_400_000 }]);
    const r = await submitInterest(s, form);
    return r.ticket === 'sent' ? c.json(r, 201) : c.json(r, 202);
  },
);
