// The address a request came from, as the runtime saw the connection: the key of the public form's
// per-client limit. A header is believed only where the platform, not the client, writes it:
//   Workers  cf-connecting-ip (Cloudflare's edge sets it, replacing whatever the client sent);
//   Lambda   API Gateway's requestContext source IP (its TCP peer), which hono/aws-lambda hands over;
//   Node     the socket's peer address, which @hono/node-server hands over.
// X-Forwarded-For is read only when that peer is a configured trusted proxy (TRUSTED_PROXIES), from
// the right, skipping the trusted hops: the first other hop is the one a trusted proxy saw.
import type { Context } from 'hono';
import { getRuntimeKey } from 'hono/adapter';

/** What the runtime adapters put in `c.env` (Node: `{ incoming }`; Lambda: `{ requestContext }`). */
interface RuntimeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } };
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) and `127.0.0.1` are one address. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** The connection's peer as the runtime reports it; null when it reports nothing trustworthy. */
export function peerAddress(c: Context, runtime = getRuntimeKey()): string | null {
  if (runtime === 'workerd') return c.req.header('cf-connecting-ip')?.trim() || null;
  const env = (c.env ?? {}) as RuntimeBindings;
  const peer = env.requestContext?.http?.sourceIp ?? env.requestContext?.identity?.sourceIp ?? env.incoming?.socket?.remoteAddress;
  return peer ? normalizeAddress(peer) : null;
}

/**
 * The client's address for rate limiting. Without a trustworthy peer (an unknown runtime) every
 * such client shares one bucket, which errs on the side of refusing.
 */
export function clientAddress(c: Context, trustedProxies: readonly string[], runtime = getRuntimeKey()): string {
  const peer = peerAddress(c, runtime);
  if (!peer) return 'unknown';
  const trusted = new Set(trustedProxies.map(normalizeAddress));
  if (!trusted.has(peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map(normalizeAddress).filter(Boolean);
  // Right to left: each trusted proxy appended the address it saw; the first untrusted one is the client.
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i] as string)) return hops[i] as string;
  return peer;
}
