import { createMiddleware } from 'hono/factory';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';

/** Members of the EUCAIM group only; a logged-in non-member is told how to enrol. */
export const requireMember = createMiddleware<HubEnv>(async (c, next) => {
  const p = c.get('principal');
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'log in to use this route');
  if (!p.member && !p.admin) {
    throw new AppError('forbidden', 'only members of the EUCAIM group may use this route', {
      enrolUrl: c.get('services').config.ENROL_URL,
    });
  }
  return next();
});

export const requireAdmin = createMiddleware<HubEnv>(async (c, next) => {
  const p = c.get('principal');
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'log in to use this route');
  if (!p.admin) throw new AppError('forbidden', 'platform administrators only');
  return next();
});

export const requireNode = createMiddleware<HubEnv>(async (c, next) => {
  if (c.get('principal').kind !== 'node') throw new AppError('unauthenticated', 'node token required');
  return next();
});

/** The calling node's id; only valid behind `requireNode`. */
export function callingNode(c: { get(key: 'principal'): HubEnv['Variables']['principal'] }): string {
  const p = c.get('principal');
  if (p.kind !== 'node') throw new AppError('unauthenticated', 'node token required');
  return p.nodeId;
}
