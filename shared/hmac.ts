// HMAC with Web Crypto (every runtime: Node, Workers, browsers) and a comparison that does not
// leak through timing how much of a signature matched. Zammad's webhooks sign with SHA-1, the
// hub's negotiation webhooks with SHA-256.

const encoder = new TextEncoder();

export async function hmac(hash: 'SHA-1' | 'SHA-256', secret: string, data: string | Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign']);
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes as Uint8Array<ArrayBuffer>));
}

/** Compares every byte whatever the first difference, so timing does not reveal how much matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The same for text (hex signatures as received), compared as UTF-8 bytes. */
export const constantTimeEqualText = (a: string, b: string): boolean => constantTimeEqual(encoder.encode(a), encoder.encode(b));
