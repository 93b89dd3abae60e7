import type { HubConfig } from '../config.ts';

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

export function userPrincipal(user: VerifiedUser, config: HubConfig): Principal {
  return {
    kind: 'user',
    user,
    member: user.entitlements.includes(config.MEMBER_ENTITLEMENT),
    admin: user.entitlements.includes(config.ADMIN_ENTITLEMENT),
  };
}
