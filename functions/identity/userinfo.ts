// Membership where LS-AAI releases it: `eduperson_entitlement` at the userinfo endpoint, for tokens
// granted the `eduperson_entitlement` scope (the BBMRI-ERIC Negotiator's CustomJWTAuthConverter and
// GHGA's auth adapter read it there the same way: GET userinfo with the access token as bearer).
// One lookup per token: the answer is kept until the token expires, in a bounded map per process or
// Worker isolate. Web-standard APIs only.
import { AppError } from '../../shared/errors.ts';

export interface UserinfoClaims {
  name?: string;
  email?: string;
  /** Undefined when the provider released none (the token lacks the scope, or the user has no groups). */
  entitlements?: string[];
}

export interface UserinfoOptions {
  /** Resolves the endpoint (from settings or discovery); a rejection is a provider outage. */
  endpoint: () => Promise<string>;
  fetchImpl: typeof fetch;
  /** A lookup not answered within this long fails with 503. */
  timeoutMs: number;
  /** How long a failed lookup is remembered for its token, so a burst does not queue on a provider that is down. */
  failureTtlMs?: number;
  /** At most this many tokens are remembered; the oldest entry makes room. */
  maxEntries?: number;
  now?: () => number;
}

export interface UserinfoLookup {
  /** The claims for a verified token of `sub` expiring at `exp` (seconds); throws AppError 401 or 503. */
  claims(token: string, sub: string, exp: number): Promise<UserinfoClaims>;
  /** Round trips made to the provider so far (for benchmarks). */
  readonly calls: number;
}

const MAX_BODY_CHARS = 256 * 1024;

/** `eduperson_entitlement` is multi-valued, but providers send a single value as a plain string too. */
export function entitlementList(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((e): e is string => typeof e === 'string');
}

async function tokenKey(token: string): Promise<string> {
  // A digest, so the map holds no bearer tokens.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

const unavailable = (why: string) => new AppError('unavailable', `identity provider userinfo ${why}; try again shortly`);

async function fetchClaims(opts: UserinfoOptions, token: string, sub: string): Promise<UserinfoClaims> {
  let endpoint: string;
  try {
    endpoint = await opts.endpoint();
  } catch {
    throw new AppError('unavailable', 'identity provider discovery failed');
  }
  let res: Response;
  try {
    res = await opts.fetchImpl(endpoint, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    throw unavailable(name === 'TimeoutError' || name === 'AbortError' ? 'did not answer in time' : 'unreachable');
  }
  // RFC 6750 3.1: 401 invalid_token (revoked, expired there) and 403 insufficient_scope speak about the token.
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new AppError('unauthenticated', 'token refused by the identity provider');
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw unavailable(`answered ${res.status}`);
  }
  let body: unknown;
  try {
    const text = await res.text();
    if (text.length > MAX_BODY_CHARS) throw new Error('too long');
    body = JSON.parse(text);
  } catch (err) {
    const name = (err as { name?: string }).name;
    throw unavailable(name === 'TimeoutError' || name === 'AbortError' ? 'did not answer in time' : 'answer unreadable');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unavailable('answer unreadable');
  const claims = body as Record<string, unknown>;
  // OpenID Connect Core 5.3.2: the userinfo `sub` must be checked against the token's, or a substituted
  // token could lend its holder someone else's groups.
  if (claims.sub !== sub) throw new AppError('unauthenticated', 'userinfo names another subject than the token');
  const entitlements = entitlementList(claims.eduperson_entitlement);
  return {
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    ...(entitlements ? { entitlements } : {}),
  };
}

/** Bounds a wait on a lookup another request started: in a Worker its I/O belongs to that request. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable('did not answer in time')), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export function createUserinfoLookup(opts: UserinfoOptions): UserinfoLookup {
  const now = opts.now ?? Date.now;
  const failureTtlMs = opts.failureTtlMs ?? 5000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { until: number; value: Promise<UserinfoClaims> }>();
  let calls = 0;

  const remember = (key: string, until: number, value: Promise<UserinfoClaims>) => {
    entries.delete(key);
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    entries.set(key, { until, value });
  };

  return {
    get calls() {
      return calls;
    },
    async claims(token, sub, exp) {
      const key = await tokenKey(token);
      const hit = entries.get(key);
      if (hit && hit.until > now()) return within(hit.value, opts.timeoutMs + 1000);
      calls++;
      const value = fetchClaims(opts, token, sub);
      // Until it settles, concurrent requests with this token share the one round trip.
      remember(key, exp * 1000, value);
      value.then(
        () => {
          if (entries.get(key)?.value === value) remember(key, exp * 1000, value);
        },
        () => {
          // Kept briefly, never as "no groups": the same answer (401 or 503) until the provider is asked again.
          if (entries.get(key)?.value === value) remember(key, Math.min(exp * 1000, now() + failureTtlMs), value);
        },
      );
      return value;
    },
  };
}
