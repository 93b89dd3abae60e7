/**
 * The only API routes that answer without a token (deny by default): what the seed calls public —
 * health, the web app's login settings and the hub's public job keys. Catalogue, dashboard and PID
 * routes join this list as they land. Everything else under /api needs a user or a node.
 */
export const publicApiRoutes: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: 'GET', path: /^\/api\/v1\/health$/ },
  { method: 'GET', path: /^\/api\/v1\/web-config$/ },
  { method: 'GET', path: /^\/api\/v1\/bridge\/job-keys$/ },
];

export function isPublicApiRoute(method: string, path: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  return publicApiRoutes.some((r) => r.method === m && r.path.test(path));
}

export const BRIDGE_PREFIX = '/api/v1/bridge/';
