// Set-up shared by the catalogue suites: a node administered by `dataholder`, a network and a
// series, and a small JSON caller for the requests the typed client cannot express (bad bodies).
import { catalogueNetworks, catalogueSeries } from '../../functions/catalogue/catalogue.sql.ts';
import { nodeAdmins, nodes } from '../../functions/nodes/nodes.sql.ts';
import type { TestHub } from '../support/hub.ts';

export const shortId = () => crypto.randomUUID().slice(0, 8);

/** A node (administered by `dataholder`), a network and a series with fresh ids. */
export async function seedHierarchy(hub: TestHub) {
  const ids = { nodeId: `node-${shortId()}`, networkId: `net-${shortId()}`, seriesId: `series-${shortId()}` };
  const db = hub.services.db;
  await db.insert(nodes).values({ id: ids.nodeId, name: ids.nodeId, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } });
  await db.insert(nodeAdmins).values({ nodeId: ids.nodeId, subject: 'dataholder' });
  await db.insert(catalogueNetworks).values({ id: ids.networkId, title: `Network ${ids.networkId}`, description: 'A test network' });
  await db.insert(catalogueSeries).values({
    id: ids.seriesId,
    networkId: ids.networkId,
    title: `Biobank ${ids.seriesId}`,
    description: 'A test biobank',
    publisher: { name: 'Test hospital' },
  });
  return ids;
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies by path
type ResponseBody = any;
export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: ResponseBody }>;

/** Calls the hub as a demo account (or anonymously) with a JSON body, answering status and parsed body. */
export function caller(hub: TestHub, username?: string): Call {
  return async (method, path, body, headers = {}) => {
    const auth: Record<string, string> = username ? { authorization: `Bearer ${await hub.token(username)}` } : {};
    const res = await fetch(hub.url + path, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}
