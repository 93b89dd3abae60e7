import type { Services } from '../services.ts';
import { ticketOfflineNodes } from './node-outages.ts';
import { pruneRateLimits } from './rate-limit.ts';
import { deliverPending } from './ticket-service.ts';

/** The helpdesk's share of runMaintenance: retry queued requests, ticket long outages, prune counters. */
export async function runHelpdeskSweep(s: Services): Promise<{ delivered: number; outageTickets: number }> {
  try {
    const { sent } = await deliverPending(s);
    const outageTickets = await ticketOfflineNodes(s);
    await pruneRateLimits(s);
    return { delivered: sent, outageTickets };
  } catch (err) {
    s.logger.error('helpdesk sweep failed', { error: (err as Error).message });
    return { delivered: 0, outageTickets: 0 };
  }
}
