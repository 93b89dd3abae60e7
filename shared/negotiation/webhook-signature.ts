// Signed negotiation webhooks, for the hub and for receivers (Web Crypto only, so any runtime can
// check them). The hub sends headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
// `webhook-signature: v1=<hex HMAC-SHA256(secret, id + "." + timestamp + "." + body)>`. A receiver
// acknowledges by answering 2xx with `{ "ack": "<hex HMAC-SHA256(secret, "ack." + id + "." + timestamp)>" }`:
// only someone holding the secret can compute it, so a 2xx from anything else (a captive portal,
// a proxy, a forger) does not mark the delivery done and the hub keeps retrying.

import { constantTimeEqualText, hmac } from '../hmac.ts';
import { toHex } from '../tracer/hex.ts';

const hmacHex = async (secret: string, message: string): Promise<string> => toHex(await hmac('SHA-256', secret, message));

export const webhookSignature = async (secret: string, id: string, timestamp: string, payload: string) =>
  `v1=${await hmacHex(secret, `${id}.${timestamp}.${payload}`)}`;

export const webhookAck = (secret: string, id: string, timestamp: string) => hmacHex(secret, `ack.${id}.${timestamp}`);

/** For receivers: true when the headers sign this exact body under the secret. */
export async function verifyWebhook(
  secret: string,
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  payload: string,
): Promise<boolean> {
  if (!headers.id || !headers.timestamp || !headers.signature) return false;
  return constantTimeEqualText(headers.signature, await webhookSignature(secret, headers.id, headers.timestamp, payload));
}
