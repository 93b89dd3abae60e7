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

export function registerDemoPasswordGrant(provider: Provider, hubAudience: string, hub: ResourceServerInfo): void {
  provider.registerGrantType(
    DEMO_PASSWORD_GRANT,
    async (ctx) => {
      const { username, password } = ctx.oidc.params ?? {};
      const client = ctx.oidc.client;
      if (!client) throw new errors.InvalidRequest('client authentication is required');
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw new errors.InvalidRequest('username and password are required');
      }
      const account = findDemoAccount(username);
      // One answer for an unknown user and a wrong password: do not reveal which accounts exist.
      if (!account || !isDemoPassword(password)) throw new errors.InvalidGrant('invalid username or password');

      const grant = new provider.Grant({ accountId: account.sub, clientId: client.clientId });
      grant.addOIDCScope(HUB_SCOPE);
      grant.addResourceScope(hubAudience, HUB_SCOPE);
      const grantId = await grant.save();

      const token = new provider.AccessToken({
        accountId: account.sub,
        client,
        grantId,
        gty: DEMO_PASSWORD_GRANT,
        scope: HUB_SCOPE,
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
    ['username', 'password'],
  );
}
