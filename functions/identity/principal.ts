import type { HubConfig } from '../config.ts';
import { holdsGroup, parseGroupEntitlement } from './entitlements.ts';

export interface VerifiedUser {
  sub: string;
  name?: string;
  email?: string;
  entitlements: string[];
}

/** Verifies a user's bearer token (OIDC access token); throws AppError('unauthenticated'). */
export interface UserVerifier {
  verify(token: string): Promise<VerifiedUser>;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: VerifiedUser; member: boolean; admin: boolean }
  | { kind: 'node'; nodeId: string };

/** True when the user is in the group a configured entitlement names (validated at start as AARC-G002). */
function inGroup(user: VerifiedUser, configured: string): boolean {
  const wanted = parseGroupEntitlement(configured);
  return wanted !== undefined && holdsGroup(user.entitlements, wanted);
}

export function userPrincipal(user: VerifiedUser, config: HubConfig): Principal {
  return {
    kind: 'user',
    user,
    member: inGroup(user, config.MEMBER_ENTITLEMENT),
    admin: inGroup(user, config.ADMIN_ENTITLEMENT),
  };
}
