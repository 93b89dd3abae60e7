// A token endpoint grant for scripts and tests: username + demo password in, hub access token out.
// It builds the same grant and JWT access token as the browser flow, so the hub cannot tell them apart.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { errors, type ResourceServerInfo } from 'oidc-provider';
import { DEMO_PASSWORD, findDemoAccount } from './accounts.ts';
import { DEMO_PASSWORD_GRANT, HUB_SCOPE } from './clients.ts';

/** Compares digests so the check takes the same time whatever the guess. */
export function isDemoPassword(candidate: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(candidate), digest(DEMO_PASSWORD));
}

/** The requested scopes (`openid` when none are named); one the hub's clients may not have is refused. */
function grantedScope(requested: unknown): string {
  const asked = typeof requested === 'string' && requested.trim() ? requested.trim().split(/\s+/) : ['openid'];
  const allowed = new Set(HUB_SCOPE.split(' '));
  const unknown = asked.filter((s) => !allowed.has(s));
  if (unknown.length > 0) throw new errors.InvalidScope(`scope not allowed: ${unknown.join(' ')}`);
  return [...new Set(asked)].join(' ');
}

export function registerDemoPasswordGrant(provider: Provider, hubAudience: string, hub: ResourceServerInfo): void {
  provider.registerGrantType(
    DEMO_PASSWORD_GRANT,
    async (ctx) => {
      const { username, password, scope: requested } = ctx.oidc.params ?? {};
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidRequest('client authentication is required');
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new errors.InvalidRequest('username and password are required');
      }
      const account = findDemoAccount(username);
      // One answer for an unknown user and a wrong password: do not reveal which accounts exist.
      if (!account || !isDemoPassword(password)) throw new errors.InvalidGrant('invalid username or password');
      // As at LS-AAI, a token carries the scopes asked for and no more: without `eduperson_entitlement`
      // its holder's groups stay unreleased at userinfo.
      const scope = grantedScope(requested);

      const grant = new provider.Grant({ accountId: account.sub, clientId: client.clientId });
      grant.addOIDCScope(scope);
      grant.addResourceScope(hubAudience, scope);
      const grantId = await grant.save();

      const token = new provider.AccessToken({
        accountId: account.sub,
        client,
        grantId,
        gty: DEMO_PASSWORD_GRANT,
        scope,
      });
      token.resourceServer = new provider.ResourceServer(hubAudience, hub);
      const accessToken = await token.save();

      ctx.body = {
        access_token: accessToken,
        token_type: token.tokenType,
        expires_in: token.expiration,
        scope: token.scope,
      };
    },
    ['username', 'password', 'scope'],
  );
}
