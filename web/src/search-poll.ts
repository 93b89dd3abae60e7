import { type HubClient, okJson, type SearchView } from './api.ts';

export const POLL_INTERVAL_MS = 700;
/** One more poll after the deadline lets the hub report the late nodes as timed out. */
const DEFAULT_GRACE_MS = 3000;

export type PollOutcome = 'completed' | 'gave_up' | 'aborted';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Polls a search until the hub calls it completed. The time budget is the deadline's distance from
 * the creation time, both on the hub's clock, so a browser clock that is off cannot stretch or cut it.
 */
export async function followSearch(
  client: HubClient,
  first: SearchView,
  opts: { signal: AbortSignal; onUpdate(view: SearchView): void; intervalMs?: number; graceMs?: number },
): Promise<PollOutcome> {
  const budgetMs = Date.parse(first.deadlineAt) - Date.parse(first.createdAt) + (opts.graceMs ?? DEFAULT_GRACE_MS);
  const stopAt = Date.now() + Math.max(budgetMs, 0);
  let view = first;
  opts.onUpdate(view);
  while (view.status !== 'completed') {
    if (Date.now() >= stopAt) return 'gave_up';
    await sleep(opts.intervalMs ?? POLL_INTERVAL_MS, opts.signal);
    if (opts.signal.aborted) return 'aborted';
    const res = await client.api.v1.search[':id'].$get({ param: { id: first.id } }, { init: { signal: opts.signal } });
    view = await okJson(res);
    if (opts.signal.aborted) return 'aborted';
    opts.onUpdate(view);
  }
  return 'completed';
}
