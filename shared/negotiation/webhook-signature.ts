// Signed negotiation webhooks, for the hub and for receivers (Web Crypto only, so any runtime can
// check them). The hub sends headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
// `webhook-signature: v1=<hex HMAC-SHA256(secret, id + "." + timestamp + "." + body)>`. A receiver
// acknowledges by answering 2xx with `{ "ack": "<hex HMAC-SHA256(secret, "ack." + id + "." + timestamp)>" }`:
// only someone holding the secret can compute it, so a 2xx from anything else (a captive portal,
// a proxy, a forger) does not mark the delivery done and the hub keeps retrying.

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const webhookSignature = async (secret: string, id: string, timestamp: string, payload: string) => `v1=${await hmacHex(secret, `${id}.${timestamp}.${payload}`)}`;

export const webhookAck = (secret: string, id: string, timestamp: string) => hmacHex(secret, `ack.${id}.${timestamp}`);

/** Compares every character whatever the first difference, so timing does not reveal how much matched. */
export function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** For receivers: true when the headers sign this exact body under the secret. */
export async function verifyWebhook(secret: string, headers: { id?: string | null; timestamp?: string | null; signature?: string | null }, payload: string): Promise<boolean> {
  if (!headers.id || !headers.timestamp || !headers.signature) return false;
  return sameText(headers.signature, await webhookSignature(secret, headers.id, headers.timestamp, payload));
}
