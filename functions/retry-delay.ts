/**
 * Delay before retrying a delivery that failed `attempts` times: 30 s after the first failure,
 * doubling, at most `capMs`. The helpdesk and negotiation webhooks retry on this schedule.
 */
export const retryDelayMs = (attempts: number, capMs: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), capMs);
