import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import type { HubEnv } from '../env.ts';
import { clientAddress } from './client-address.ts';
import { expressionOfInterestSchema, submitInterest } from './interest.ts';
import { enforceLimits } from './rate-limit.ts';
import { DELIVERY } from './responses.ts';

/** A full form is a few KiB: anything far bigger is abuse, refused before it is read. */
export const MAX_INTEREST_BYTES = 32 * 1024;
export const INTEREST_LIMITS = { perEmailPerDay: 3, perClientPerHour: 10 };

const interestBodyLimit = bodyLimit({
  maxSize: MAX_INTEREST_BYTES,
  onError: () => {
    throw new AppError('payload_too_large', `the form is limited to ${MAX_INTEREST_BYTES} bytes`);
  },
});

// Per client before the body is even validated, so a flood of junk is refused cheaply too.
const perClient = createMiddleware<HubEnv>(async (c, next) => {
  const s = c.get('services');
  await enforceLimits(s, [
    { key: `eoi:client:${clientAddress(c, s.config.TRUSTED_PROXIES)}`, max: INTEREST_LIMITS.perClientPerHour, windowMs: 3_600_000 },
  ]);
  return next();
});

const submitted = z.object({ id: z.string(), ticket: z.enum(DELIVERY) });

/** POST /api/v1/expressions-of-interest: public (seed 5.1), so size- and rate-limited. */
export const interestRoutes = hubRouter({ tag: 'Helpdesk' }).add(
  {
    method: 'post',
    path: '/',
    access: 'public',
    summary:
      'the seed\'s "Become a ..." form; ≤32 KiB, 10 per client per hour, 3 per e-mail per day; stored, opened as an Access ticket, acknowledged by mail',
    description:
      "At most 32 KiB; 10 per client per hour (the address the runtime saw: `cf-connecting-ip` on Workers, API Gateway's source IP, the socket peer on Node; `X-Forwarded-For` only from TRUSTED_PROXIES), 3 per e-mail per day. Stored, opened as an Access ticket, acknowledged by mail.",
    middleware: [interestBodyLimit, perClient],
    request: { json: expressionOfInterestSchema },
    responses: {
      201: json(submitted, 'Stored and opened as a ticket.'),
      202: json(submitted, 'Stored; the ticket is `queued` until the helpdesk is reachable.'),
    },
    errors: { rate_limited: 'too many forms from this client or for this e-mail address', payload_too_large: 'the form is over 32 KiB' },
  },
  async (c) => {
    const s = c.get('services');
    const form = c.req.valid('json');
    await enforceLimits(s, [{ key: `eoi:email:${form.email.toLowerCase()}`, max: INTEREST_LIMITS.perEmailPerDay, windowMs: 86_400_000 }]);
    const r = await submitInterest(s, form);
    return r.ticket === 'sent' ? c.json(r, 201) : c.json(r, 202);
  },
);
