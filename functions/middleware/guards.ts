import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import type { Principal } from '../identity/principal.ts';

type PrincipalSource = { get(key: 'principal'): HubEnv['Variables']['principal'] };
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The calling user, or 401: every route that needs a person goes through this one check. */
export function callingUser(c: PrincipalSource): UserPrincipal {
  const p = c.get('principal');
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'log in to use this route');
  return p;
}

/** Members of the EUCAIM group only; a logged-in non-member is told how to enrol. */
export function assertMember(c: Context<HubEnv>): UserPrincipal {
  const p = callingUser(c);
  if (!p.member && !p.admin) {
    throw new AppError('forbidden', 'only members of the EUCAIM group may use this route', {
      enrolUrl: c.get('services').config.ENROL_URL,
    });
  }
  return p;
}

export function assertAdmin(c: PrincipalSource): UserPrincipal {
  const p = callingUser(c);
  if (!p.admin) throw new AppError('forbidden', 'platform administrators only');
  return p;
}

/** The calling node's id; only valid on a route declared for nodes. */
export function callingNode(c: PrincipalSource): string {
  const p = c.get('principal');
  if (p.kind !== 'node') throw new AppError('unauthenticated', 'node token required');
  return p.nodeId;
}
