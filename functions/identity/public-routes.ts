/**
 * The only API routes that answer without a token (deny by default): what the seed calls public —
 * health, the web app's login settings and the hub's public job keys. Catalogue, dashboard and PID
 * routes join this list as they land. Everything else under /api needs a user or a node.
 */
export const publicApiRoutes: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: 'GET', path: /^\/api\/v1\/health$/ },
  { method: 'GET', path: /^\/api\/v1\/web-config$/ },
  { method: 'GET', path: /^\/api\/v1\/bridge\/job-keys$/ },
  // The tracer's checkpoints, key and proofs: public so that anyone can verify the log.
  { method: 'GET', path: /^\/tracer\/api\/v1\/checkpoints(\/latest)?$/ },
  { method: 'GET', path: /^\/tracer\/api\/v1\/keys$/ },
  { method: 'GET', path: /^\/tracer\/api\/v1\/proofs\/(inclusion|consistency)$/ },
  { method: 'GET', path: /^\/api\/v1\/search\/catalogue$/ },
  // The catalogue: browsing, datasets (drafts only for their editors), hierarchy and dashboard.
  { method: 'GET', path: /^\/api\/v1\/catalogue\/(datasets|networks|series|dashboard)$/ },
  { method: 'GET', path: /^\/api\/v1\/catalogue\/(datasets|networks|series)\/[^/]+$/ },
  // Seed 5.1: anyone may express interest (size- and rate-limited); Zammad signs its webhook instead of logging in.
  { method: 'POST', path: /^\/api\/v1\/expressions-of-interest$/ },
  { method: 'POST', path: /^\/api\/v1\/helpdesk\/webhooks\/zammad$/ },
  // The negotiation rules anyone may read, and the grant key nodes verify grants with, offline.
  { method: 'GET', path: /^\/api\/v1\/negotiation-lifecycle$/ },
  { method: 'GET', path: /^\/api\/v1\/negotiation\/keys$/ },
  // Catalogues hand a selection over before the user logs in (the BBMRI-ERIC Negotiator's contract).
  { method: 'POST', path: /^\/api\/v3\/requests$/ },
  // Federated processing: a bridge PUTs results with a single-use upload token in the URL, like a pre-signed S3 URL.
  { method: 'PUT', path: /^\/api\/v1\/bridge\/uploads\/[A-Za-z0-9_-]{43}$/ },
];

export function isPublicApiRoute(method: string, path: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  return publicApiRoutes.some((r) => r.method === m && r.path.test(path));
}

export const BRIDGE_PREFIX = '/api/v1/bridge/';

/** Routes outside the bridge prefix that take node-signed requests (nodes submitting traces). */
export const nodeSignedRoutes: ReadonlyArray<{ method: string; path: RegExp }> = [{ method: 'POST', path: /^\/tracer\/api\/v1\/traces$/ }];

export function isNodeSignedRoute(method: string, path: string): boolean {
  return nodeSignedRoutes.some((r) => r.method === method && r.path.test(path));
}

/** Paths the hub answers itself; every other GET is a page of the web app (its index.html). */
export const API_PREFIXES = ['/api/', '/tracer/', '/fdp', '/pid/'] as const;

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path.startsWith(p));
}
