// The clients and the one resource server the local provider knows, mirroring what LS-AAI is
// configured with for EUCAIM in production.
import { USER_SCOPE } from '../../functions/identity/scopes.ts';

/** The browser app: a public client, so it proves possession with PKCE instead of a secret. */
export const WEB_CLIENT_ID = 'eucaim-web';
/** Scripts and tests: a confidential client whose secret lives only in the provider's data dir. */
export const CLI_CLIENT_ID = 'eucaim-cli';
/** The most a hub access token may carry: what the web app and the token command ask for. */
export const HUB_SCOPE = USER_SCOPE;
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Lets scripts trade a demo username and password for a hub token without a browser. */
export const DEMO_PASSWORD_GRANT = 'urn:eucaim:params:grant-type:demo-password';

/** Clients that belong to the federation itself: their users are not asked for consent. */
export const FIRST_PARTY_CLIENTS: ReadonlySet<string> = new Set([WEB_CLIENT_ID]);

export interface WebClientOptions {
  webRedirectUris: string[];
  webOrigins: string[];
}

export function clientMetadata(web: WebClientOptions, cliSecret: string) {
  return [
    {
      client_id: WEB_CLIENT_ID,
      client_name: 'EUCAIM web app',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: web.webRedirectUris,
      // Accept the bare origin with and without the trailing slash: URL serialisers disagree.
      post_logout_redirect_uris: web.webOrigins.flatMap((o) => [o, `${o}/`]),
    },
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'EUCAIM scripts',
      client_secret: cliSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [DEMO_PASSWORD_GRANT],
      response_types: [],
      redirect_uris: [],
    },
  ];
}

/** Hub access tokens are JWTs the hub verifies offline against the provider's JWKS. */
export function hubResourceServer(hubAudience: string, alg: string) {
  return {
    scope: HUB_SCOPE,
    audience: hubAudience,
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
    jwt: { sign: { alg } },
  };
}
