// Zammad signs webhook bodies with the webhook's "HMAC SHA1 Signature Token" and sends
// `X-Hub-Signature: sha1=<hex>`. Web Crypto, so the check runs on Workers as well as Node.

const encoder = new TextEncoder();

async function hmacSha1(secret: string, body: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, body as Uint8Array<ArrayBuffer>));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** The header value Zammad would send for this body, e.g. for tests and the contract server. */
export async function zammadSignature(secret: string, body: string | Uint8Array): Promise<string> {
  return `sha1=${hex(await hmacSha1(secret, typeof body === 'string' ? encoder.encode(body) : body))}`;
}

/** Compares every byte whatever the first difference, so timing does not reveal how much matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** True only for a well-formed `sha1=<40 hex>` header that matches the raw body under the secret. */
export async function verifyZammadSignature(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  const m = /^sha1=([0-9a-fA-F]{40})$/.exec(header?.trim() ?? '');
  if (!m?.[1]) return false;
  const given = new Uint8Array(m[1].match(/../g)!.map((h) => Number.parseInt(h, 16)));
  return constantTimeEqual(given, await hmacSha1(secret, rawBody));
}
