// OpenID Connect Discovery 1.0 for the hub's identity provider: where its keys and its userinfo endpoint
// are, and the issuer exactly as the provider spells it. Web-standard APIs only (Node, Lambda, Workers).

export interface ProviderMetadata {
  /** The issuer as the discovery document states it: what tokens' `iss` must equal to the character. */
  issuer: string;
  jwksUri: string;
  userinfoEndpoint?: string;
}

const withoutTrailingSlash = (s: string) => s.replace(/\/+$/, '');

/**
 * The same issuer, written with or without its trailing slash. LS-AAI's is
 * `https://login.aai.lifescience-ri.eu/oidc/` (its discovery document and the tokens it signs carry the
 * slash: python-social-auth's LS-AAI backend test, GHGA's auth-service discovery test), and operators
 * copy it either way.
 */
export function sameIssuer(a: string, b: string): boolean {
  return withoutTrailingSlash(a) === withoutTrailingSlash(b);
}

/** Discovery 4: the document lives at the issuer with any terminating slash removed, plus the well-known path. */
export function discoveryUrl(issuer: string): string {
  return `${withoutTrailingSlash(issuer)}/.well-known/openid-configuration`;
}

/**
 * Fetches the provider's metadata on first use and keeps it; a failure is not kept, so the next caller
 * tries again (a hub may start while its provider is still starting). Throws plain Errors: callers decide
 * what the failure means for their request.
 */
export function createDiscovery(opts: { issuer: string; fetchImpl: typeof fetch; timeoutMs: number }): () => Promise<ProviderMetadata> {
  let pending: Promise<ProviderMetadata> | undefined;
  const load = async (): Promise<ProviderMetadata> => {
    const res = await opts.fetchImpl(discoveryUrl(opts.issuer), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const meta = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown; userinfo_endpoint?: unknown };
    // Discovery 4.3: a document naming another issuer must not be trusted (a slash more or less is the same one).
    if (typeof meta.issuer !== 'string' || !sameIssuer(meta.issuer, opts.issuer)) throw new Error('discovery names another issuer');
    if (typeof meta.jwks_uri !== 'string' || !URL.canParse(meta.jwks_uri)) throw new Error('discovery names no jwks_uri');
    const userinfo =
      typeof meta.userinfo_endpoint === 'string' && URL.canParse(meta.userinfo_endpoint) ? meta.userinfo_endpoint : undefined;
    return { issuer: meta.issuer, jwksUri: meta.jwks_uri, ...(userinfo ? { userinfoEndpoint: userinfo } : {}) };
  };
  return () => {
    if (!pending) {
      const attempt = load();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
