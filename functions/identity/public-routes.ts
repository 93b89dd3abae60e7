import { TrieRouter } from 'hono/router/trie-router';
import { type Access, needsNoCredential } from '../api/access.ts';
import { servedRoutes } from '../api/hub-router.ts';
import { apiRoutes } from '../app.ts';

let declared: TrieRouter<Access> | undefined;

/** The declared access of every route, matched as Hono matches (built once, from the routes themselves). */
function accessRouter(): TrieRouter<Access> {
  if (!declared) {
    const router = new TrieRouter<Access>();
    for (const r of servedRoutes(apiRoutes.routes)) if (r.declaration) router.add(r.method, r.path, r.declaration.access);
    declared = router;
  }
  return declared;
}

/**
 * True for an API route that answers without any credential, as its declaration says (`public`,
 * `public-user`, a signed webhook, an upload token). Takes a concrete path or a route pattern
 * (`/api/v1/catalogue/datasets/:id`). Everything else under /api and /tracer needs a user or a node.
 */
export function isPublicApiRoute(method: string, path: string): boolean {
  const [matches] = accessRouter().match(method === 'HEAD' ? 'GET' : method, path);
  const first = matches[0];
  return first !== undefined && needsNoCredential(first[0]);
}
