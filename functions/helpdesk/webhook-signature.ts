// Zammad signs webhook bodies with the webhook's "HMAC SHA1 Signature Token" and sends
// `X-Hub-Signature: sha1=<hex>`. Web Crypto, so the check runs on Workers as well as Node.

import { constantTimeEqual, hmac } from '../../shared/hmac.ts';
import { toHex } from '../../shared/tracer/hex.ts';

/** The header value Zammad would send for this body, e.g. for tests and the contract server. */
export async function zammadSignature(secret: string, body: string | Uint8Array): Promise<string> {
  return `sha1=${toHex(await hmac('SHA-1', secret, body))}`;
}

/** True only for a well-formed `sha1=<40 hex>` header that matches the raw body under the secret. */
export async function verifyZammadSignature(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  const m = /^sha1=([0-9a-fA-F]{40})$/.exec(header?.trim() ?? '');
  if (!m?.[1]) return false;
  const given = new Uint8Array(m[1].match(/../g)!.map((h) => Number.parseInt(h, 16)));
  return constantTimeEqual(given, await hmac('SHA-1', secret, rawBody));
}
