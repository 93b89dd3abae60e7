/**
 * What the hub's clients (the web app, `npm run token`) ask the provider for. LS-AAI releases
 * `eduperson_entitlement` (group membership) at userinfo only to tokens granted its own scope of that
 * name, so without it every user would look like a non-member.
 */
export const USER_SCOPE = 'openid profile email eduperson_entitlement';
