// Delivering negotiation happenings to admins' webhook endpoints, from the sweep: each due delivery
// is claimed (its next attempt moved a lease ahead, so two sweeps never send it at once), posted
// signed, and marked delivered only when the response carries a valid acknowledgement
// (shared/negotiation/webhook-signature.ts). Anything else is retried with exponential backoff
// until NEGOTIATION_WEBHOOK_MAX_ATTEMPTS, then marked failed.
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import { constantTimeEqualText } from '../../shared/hmac.ts';
import { webhookAck, webhookSignature } from '../../shared/negotiation/webhook-signature.ts';
import type { Services } from '../services.ts';
import { negotiationWebhookDeliveries, negotiationWebhooks } from './conversation.sql.ts';
import { retryDelayMs } from '../retry-delay.ts';

const LEASE_MS = 60_000;
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 6 * 3600_000;
const BATCH = 20;

/** 30 s after the first failure, doubling, at most 6 h. */
export const backoffMs = (attempts: number) => retryDelayMs(attempts, MAX_BACKOFF_MS);

async function attempt(url: string, secret: string, id: string, payload: string, now: Date): Promise<string | null> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': await webhookSignature(secret, id, timestamp, payload),
      },
      body: payload,
    });
    const text = (await res.text()).slice(0, 4096);
    if (res.status < 200 || res.status > 299) return `HTTP ${res.status}`;
    let ack: unknown;
    try {
      ack = (JSON.parse(text) as { ack?: unknown }).ack;
    } catch {
      return 'the response is not JSON with an acknowledgement';
    }
    if (typeof ack !== 'string' || !constantTimeEqualText(ack, await webhookAck(secret, id, timestamp)))
      return 'the acknowledgement is missing or not signed with the secret';
    return null;
  } catch (err) {
    return `unreachable: ${(err as Error).name}`;
  }
}

/** Sends every due delivery once; returns how many were acknowledged and how many failed this round. */
export async function deliverDueWebhooks(s: Services): Promise<{ delivered: number; retried: number }> {
  const now = s.clock.now();
  const due = await s.db
    .select({ d: negotiationWebhookDeliveries, url: negotiationWebhooks.url, secret: negotiationWebhooks.secret })
    .from(negotiationWebhookDeliveries)
    .innerJoin(negotiationWebhooks, eq(negotiationWebhooks.id, negotiationWebhookDeliveries.webhookId))
    .where(
      and(
        isNull(negotiationWebhookDeliveries.deliveredAt),
        isNull(negotiationWebhookDeliveries.failedAt),
        lte(negotiationWebhookDeliveries.nextAttemptAt, now),
        eq(negotiationWebhooks.active, true),
      ),
    )
    .orderBy(asc(negotiationWebhookDeliveries.nextAttemptAt))
    .limit(BATCH);
  let delivered = 0;
  let retried = 0;
  for (const { d, url, secret } of due) {
    const [claimed] = await s.db
      .update(negotiationWebhookDeliveries)
      .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(
        and(
          eq(negotiationWebhookDeliveries.id, d.id),
          eq(negotiationWebhookDeliveries.nextAttemptAt, d.nextAttemptAt),
          isNull(negotiationWebhookDeliveries.deliveredAt),
        ),
      )
      .returning({ id: negotiationWebhookDeliveries.id });
    if (!claimed) continue;
    const error = await attempt(url, secret, d.happeningId, d.payload, now);
    const attempts = d.attempts + 1;
    if (error === null) {
      await s.db
        .update(negotiationWebhookDeliveries)
        .set({ attempts, deliveredAt: s.clock.now(), lastError: null })
        .where(eq(negotiationWebhookDeliveries.id, d.id));
      delivered++;
    } else {
      const givenUp = attempts >= s.config.NEGOTIATION_WEBHOOK_MAX_ATTEMPTS;
      await s.db
        .update(negotiationWebhookDeliveries)
        .set({
          attempts,
          lastError: error,
          nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
          failedAt: givenUp ? s.clock.now() : null,
        })
        .where(eq(negotiationWebhookDeliveries.id, d.id));
      // The endpoint, never the secret or the payload.
      s.logger.warn('negotiation webhook not acknowledged', { delivery: d.id, url: new URL(url).origin, attempts, error });
      retried++;
    }
  }
  return { delivered, retried };
}
