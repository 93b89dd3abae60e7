import { TrieRouter } from 'hono/router/trie-router';
import { type Access, needsNoCredential } from '../api/access.ts';
import { servedRoutes } from '../api/hub-router.ts';
import { apiRoutes } from '../app.ts';

let declared: { byPattern: Map<string, Access>; router: TrieRouter<Access> } | undefined;

/** The declared access of every route, by its pattern and matched as Hono matches (built once, from the routes themselves). */
function accessTable() {
  if (!declared) {
    const byPattern = new Map<string, Access>();
    const router = new TrieRouter<Access>();
    for (const r of servedRoutes(apiRoutes.routes)) {
      if (!r.declaration) continue;
      byPattern.set(`${r.method} ${r.path}`, r.declaration.access);
      router.add(r.method, r.path, r.declaration.access);
    }
    declared = { byPattern, router };
  }
  return declared;
}

/**
 * True for an API route that answers without any credential, as its declaration says (`public`,
 * `public-user`, a signed webhook, an upload token). Takes a route pattern
 * (`/api/v1/catalogue/datasets/:id`) or a concrete path. Everything else under /api and /tracer
 * needs a user or a node.
 */
export function isPublicApiRoute(method: string, path: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  const table = accessTable();
  const access = table.byPattern.get(`${m} ${path}`) ?? table.router.match(m, path)[0][0]?.[0];
  return access !== undefined && needsNoCredential(access);
}
