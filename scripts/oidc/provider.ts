// A real OpenID Connect provider for local runs and tests, standing in for LS-AAI: same flows
// (authorization code + PKCE), JWT access tokens for the hub, and LS-AAI's quirks a relying party
// must cope with (each cites where it comes from):
// - the issuer has a path and a trailing slash, `https://login.aai.lifescience-ri.eu/oidc/` (the
//   discovery document in python-social-auth's LS-AAI backend test, social_core/tests/backends/
//   test_lifescience.py; GHGA auth-service tests/integration/auth_adapter/test_oidc_discovery.py);
//   here `http://127.0.0.1:<port>/oidc/`;
// - endpoints under it with LS-AAI's names: authorize, token, userinfo, jwk, introspect, revoke,
//   endsession (same discovery document);
// - `eduperson_entitlement` is released at userinfo only, and only for the `eduperson_entitlement`
//   scope (LS-AAI's scope table; read there by the BBMRI-ERIC Negotiator, CustomJWTAuthConverter.java,
//   and GHGA's auth adapter); access tokens carry iss, sub, aud, client_id, scope, jti, iat and exp
//   and no profile or group claims (GHGA auth-service tests/fixtures/utils.py: create_access_token).
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
import { createUserinfoHandler } from './userinfo.ts';

/** Where LS-AAI's provider lives under its host, and so this one: the issuer is origin + this + '/'. */
export const ISSUER_PATH = '/oidc';
/** LS-AAI's endpoint names (its discovery document), relative to the issuer. */
const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwk',
  introspection: '/introspect',
  revocation: '/revoke',
  end_session: '/endsession',
};

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
  /** `http://host:port/oidc/`, trailing slash included, as LS-AAI's. */
  issuer: string;
  /** The server's origin, where the browser meets the sign-in pages. */
  url: string;
  /** Requests its userinfo endpoint has answered so far: what a relying party costs the provider. */
  userinfoCalls(): number;
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
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const issuer = `${origin}${ISSUER_PATH}/`;

  const hub = hubResourceServer(opts.hubAudience, SIGNING_ALG);
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(),
    clients: clientMetadata(opts, cliClient.client_secret),
    jwks,
    // Sessions do not outlive the process anyway, so fresh cookie keys per start are enough.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The scopes LS-AAI offers a relying party, each with its claims; listed in discovery's scopes_supported.
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      eduperson_entitlement: ['eduperson_entitlement'],
    },
    // The ID token names the user for the web app; groups stay at userinfo (userinfo.ts), as LS-AAI's.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const account = findDemoAccount(sub);
      if (!account) return undefined;
      const { eduperson_entitlement: _atUserinfoOnly, ...claims } = accountClaims(account);
      return { accountId: account.sub, claims: () => claims };
    },
    clientBasedCORS: (_ctx, origin, client) => client.clientId === WEB_CLIENT_ID && opts.webOrigins.includes(origin),
    // Code flow only: implicit and hybrid flows put tokens in URLs, and no client needs them.
    responseTypes: ['code'],
    interactions: { url: (_ctx, interaction) => `${ISSUER_PATH}/interaction/${interaction.uid}` },
    routes: ROUTES,
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

  let userinfoCalls = 0;
  const userinfo = createUserinfoHandler({ issuer, path: ROUTES.userinfo, signingKeys: jwks.keys, onCall: () => userinfoCalls++ });
  const interactions = createInteractionHandler(provider, ISSUER_PATH);
  const oidc = provider.callback();
  handle = (req, res) => {
    // Mounted under the issuer's path as oidc-provider expects it (lib/helpers/oidc_context.js derives
    // the mount path from originalUrl minus url); nothing is served outside it.
    const full = req.url ?? '/';
    if (full !== ISSUER_PATH && !full.startsWith(`${ISSUER_PATH}/`) && !full.startsWith(`${ISSUER_PATH}?`)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = full;
    req.url = full.slice(ISSUER_PATH.length) || '/';
    userinfo(req, res)
      .then((handled) => handled || interactions(req, res))
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
    url: origin,
    userinfoCalls: () => userinfoCalls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Browsers and fetch keep connections alive; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}
