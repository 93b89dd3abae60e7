// A real OpenID Connect provider for local runs and tests, standing in for LS-AAI: same flows
// (authorization code + PKCE), same claims (eduperson_entitlement), JWT access tokens for the hub.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { accountClaims, findDemoAccount } from './accounts.ts';
import { ACCESS_TOKEN_TTL_SECONDS, clientMetadata, hubResourceServer, WEB_CLIENT_ID } from './clients.ts';
import { loadOrCreateCliClient, loadOrCreateSigningKeys, SIGNING_ALG } from './data-dir.ts';
import { registerDemoPasswordGrant } from './demo-password-grant.ts';
import { createInteractionHandler, escapeHtml, sendPage } from './interactions.ts';
import { createMemoryAdapterFactory } from './memory-adapter.ts';

export interface OidcProviderOptions {
  /** Interface to bind; also the issuer's host, so keep it what clients will type. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Holds the signing keys and the CLI client secret across restarts. */
  dataDir: string;
  /** The `aud` of every access token: what the hub's verifier expects. */
  hubAudience: string;
  webRedirectUris: string[];
  webOrigins: string[];
}

export interface RunningOidcProvider {
  issuer: string;
  url: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Fails at start, naming the setting, rather than at the first sign-in with an opaque client error. */
function checkOptions(opts: OidcProviderOptions): void {
  if (opts.webRedirectUris.length === 0) throw new Error('oidc provider: webRedirectUris needs at least one URI');
  for (const uri of opts.webRedirectUris) {
    if (!URL.canParse(uri) || new URL(uri).hash) throw new Error(`oidc provider: bad web redirect URI ${uri}`);
  }
  for (const origin of opts.webOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) throw new Error(`oidc provider: bad web origin ${origin}`);
  }
  if (!URL.canParse(opts.hubAudience)) throw new Error('oidc provider: hubAudience must be an absolute URI');
}

export async function startOidcProvider(opts: OidcProviderOptions): Promise<RunningOidcProvider> {
  checkOptions(opts);
  const host = opts.host ?? '127.0.0.1';
  const [jwks, cliClient] = await Promise.all([loadOrCreateSigningKeys(opts.dataDir), loadOrCreateCliClient(opts.dataDir)]);

  // The issuer names the real port, which with port 0 is known only once listening.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.statusCode = 503;
    res.end();
  });
  const address = await listen(server, opts.port, host);
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  const hub = hubResourceServer(opts.hubAudience, SIGNING_ALG);
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(),
    clients: clientMetadata(opts, cliClient.client_secret),
    jwks,
    // Sessions do not outlive the process anyway, so fresh cookie keys per start are enough.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      // LS-AAI releases entitlements under their own scope; the local web app asks only for
      // `openid profile email`, so they ride along with `openid` here as well.
      openid: ['sub', 'eduperson_entitlement'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      eduperson_entitlement: ['eduperson_entitlement'],
    },
    // The access token is for the hub, not for userinfo: put the claims in the ID token instead.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const account = findDemoAccount(sub);
      return account && { accountId: account.sub, claims: () => accountClaims(account) };
    },
    async extraTokenClaims(_ctx, token) {
      // Runs for every token, client-credential ones included, which have no account.
      const account = token.accountId ? findDemoAccount(token.accountId) : undefined;
      if (!account) return undefined;
      const { name, email, eduperson_entitlement } = accountClaims(account);
      return { name, email, eduperson_entitlement };
    },
    clientBasedCORS: (_ctx, origin, client) => client.clientId === WEB_CLIENT_ID && opts.webOrigins.includes(origin),
    // Code flow only: implicit and hybrid flows put tokens in URLs, and no client needs them.
    responseTypes: ['code'],
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // oidc-client-ts sends no `resource`; without these it would get an opaque token.
        defaultResource: () => opts.hubAudience,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource) {
          if (resource !== opts.hubAudience) throw new errors.InvalidTarget('unknown resource');
          return hub;
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1><p>${escapeHtml(
        `${out.error ?? 'error'}: ${out.error_description ?? ''}`,
      )}</p>`;
    },
  });
  registerDemoPasswordGrant(provider, opts.hubAudience, hub);
  // Messages only: a context or request dump could carry codes, secrets or tokens.
  provider.on('server_error', (_ctx, err) => console.error(`oidc provider: ${err.message}`));

  const interactions = createInteractionHandler(provider);
  const oidc = provider.callback();
  handle = (req, res) => {
    interactions(req, res)
      .then((handled) => {
        if (!handled) oidc(req, res);
      })
      .catch((err: Error) => {
        console.error(`oidc provider: sign-in page failed: ${err.message}`);
        if (!res.headersSent) sendPage(res, 500, 'Sign-in failed', '<p>Something went wrong. Start again.</p>');
      });
  };

  return {
    issuer,
    url: issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Browsers and fetch keep connections alive; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}
