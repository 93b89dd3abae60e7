import { generateNodeKeyPair, type PrivateJwk, type PublicJwk, signNodeRequest } from '../../shared/node-auth.ts';

/**
 * Speaks the bridge side of the protocol with real keys and real signatures, so hub tests can act as
 * a node (or as an attacker holding the wrong key) without starting a bridge process.
 */
export async function nodeClient(hubUrl: string, nodeId: string, keys?: { publicJwk: PublicJwk; privateJwk: PrivateJwk }) {
  const pair = keys ?? (await generateNodeKeyPair());
  const call = async (method: string, pathAndQuery: string, body?: unknown, opts: { token?: string; nowMs?: number } = {}) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const token =
      opts.token ??
      (await signNodeRequest({
        nodeId,
        privateJwk: pair.privateJwk,
        audience: hubUrl,
        method,
        path: pathAndQuery,
        body: text,
        nowMs: opts.nowMs,
      }));
    const res = await fetch(hubUrl + pathAndQuery, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(text ? { 'content-type': 'application/json' } : {}) },
      body: text,
    });
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    return { status: res.status, body: json, token };
  };
  return { nodeId, ...pair, call };
}
