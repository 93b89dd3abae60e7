/** Demo identities of the local OpenID Connect provider; LS-AAI holds the real ones in production. */

/**
 * LS-AAI's entitlement for members of the EUCAIM group (`vo=lifescience`, group
 * `communities_and_projects:EUCAIM`, which EUCAIM's dashboard checks): what makes someone a federation user.
 */
export const MEMBER_ENTITLEMENT = 'urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects:EUCAIM#aai.lifescience-ri.eu';
/** The EUCAIM admins subgroup (the hub's default ADMIN_ENTITLEMENT; production names its own). */
export const ADMIN_ENTITLEMENT =
  'urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects:EUCAIM:admins#aai.lifescience-ri.eu';
/** The one password of every demo account: these accounts exist only on a developer's loopback. */
export const DEMO_PASSWORD = 'demo';

export type DemoAccountName = 'researcher' | 'representative' | 'dataholder' | 'admin' | 'outsider';

export interface DemoAccount {
  sub: DemoAccountName;
  name: string;
  email: string;
  entitlements: readonly string[];
}

function account(sub: DemoAccountName, name: string, entitlements: readonly string[]): DemoAccount {
  return { sub, name, email: `${sub}@demo.eucaim.local`, entitlements };
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  account('researcher', 'Demo Researcher', [MEMBER_ENTITLEMENT]),
  // LS-AAI releases group roles as a `:role=` suffix (AARC-G002); membership counts whatever the role.
  account('representative', 'Demo Representative', [MEMBER_ENTITLEMENT.replace('#', ':role=manager#')]),
  account('dataholder', 'Demo Data Holder', [MEMBER_ENTITLEMENT]),
  account('admin', 'Demo Admin', [MEMBER_ENTITLEMENT, ADMIN_ENTITLEMENT]),
  // Has an LS-AAI identity but no EUCAIM membership: the hub must turn them away.
  account('outsider', 'Demo Outsider', []),
];

export function findDemoAccount(sub: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((a) => a.sub === sub);
}

/** Everything the provider knows about an account; which of it a client sees depends on its scopes (userinfo.ts). */
export function accountClaims(a: DemoAccount) {
  return {
    sub: a.sub,
    name: a.name,
    preferred_username: a.sub,
    email: a.email,
    email_verified: true,
    eduperson_entitlement: [...a.entitlements],
  };
}
