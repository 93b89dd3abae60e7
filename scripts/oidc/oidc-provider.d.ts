// oidc-provider ships no types and none are installed; these cover only what scripts/oidc uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Client {
    clientId: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface KoaContextWithOIDC {
    oidc: { params?: Record<string, unknown>; client?: Client };
    body: unknown;
    type: string;
    status: number;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export interface Configuration {
    adapter?: (model: string) => unknown;
    clients?: Record<string, unknown>[];
    jwks?: { keys: object[] };
    cookies?: { keys?: string[] };
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    responseTypes?: string[];
    clockTolerance?: number;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: { accountId?: string }) => Promise<Record<string, unknown> | undefined>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    interactions?: { url: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => string };
    routes?: Record<string, string>;
    features?: {
      devInteractions?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: KoaContextWithOIDC) => string | Promise<string>;
        useGrantedResource?: () => boolean;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => ResourceServerInfo | Promise<ResourceServerInfo>;
      };
    };
    ttl?: Record<string, number>;
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => void | Promise<void>;
  }

  class Grant {
    constructor(init: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  class ResourceServer {
    constructor(identifier: string, info: ResourceServerInfo);
  }

  class AccessToken {
    constructor(init: { accountId: string; client: Client; grantId: string; gty: string; scope: string });
    resourceServer: ResourceServer | undefined;
    readonly expiration: number;
    readonly tokenType: string;
    scope?: string;
    save(): Promise<string>;
  }

  type OidcError = new (description?: string) => Error;

  export const errors: {
    InvalidGrant: OidcError;
    InvalidRequest: OidcError;
    InvalidScope: OidcError;
    InvalidTarget: OidcError;
    SessionNotFound: OidcError;
  };

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    readonly AccessToken: typeof AccessToken;
    readonly ResourceServer: typeof ResourceServer;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, params?: string | string[]): void;
    on(event: 'server_error', listener: (ctx: KoaContextWithOIDC, err: Error) => void): this;
  }
}
