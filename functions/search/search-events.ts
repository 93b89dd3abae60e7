import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { HubEnv } from '../env.ts';
import type { Services } from '../services.ts';
import { onSearchChange } from './search-signals.ts';
import { getSearch, type SearchView, type Viewer } from './search-view.ts';

/** How often the stream re-reads the search when nothing in this process woke it. */
export const EVENTS_POLL_MS = 250;
/** The stream outlives the deadline by this much, so the final timed_out view is always sent. */
export const EVENTS_MARGIN_MS = 3000;

function pause(ms: number, wakeUp: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    wakeUp(done);
    function done() {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** What a follower needs of the response stream it writes to. */
export interface StreamSignal {
  readonly aborted: boolean;
  onAbort(listener: () => void): void;
}

/**
 * Follows one search from its first view: hands `onView` the view now and again whenever it may have
 * changed, until the search is completed, the client goes away, the deadline (plus a margin) passes or
 * `onView` answers true. The database is the source of truth (so it works on any runtime and across
 * instances); answers recorded in this process wake the follower at once, others at the next poll.
 */
export async function followSearch(
  s: Services,
  viewer: Viewer,
  first: SearchView,
  stream: StreamSignal,
  onView: (view: SearchView) => Promise<boolean | undefined>,
): Promise<void> {
  const stopAt = Date.now() + Math.max(0, Date.parse(first.deadlineAt) - s.clock.now().getTime()) + EVENTS_MARGIN_MS;
  let wake: () => void = () => {};
  const off = onSearchChange(s, first.id, () => wake());
  stream.onAbort(() => wake());
  let view = first;
  try {
    for (;;) {
      if ((await onView(view)) || view.status === 'completed' || stream.aborted || Date.now() >= stopAt) break;
      await pause(Math.min(EVENTS_POLL_MS, Math.max(1, stopAt - Date.now())), (w) => {
        wake = w;
      });
      if (stream.aborted) break;
      view = await getSearch(s, viewer, first.id);
    }
  } finally {
    off();
  }
}

/**
 * Server-Sent Events of one search: `view` with the whole current view first, then one `view` per
 * change, closing once the search is completed.
 */
export async function searchEvents(c: Context<HubEnv>, viewer: Viewer, searchId: string) {
  const s = c.get('services');
  // Checked before the stream opens, so a foreign or unknown id is an ordinary 404.
  const first = await getSearch(s, viewer, searchId);
  return streamSSE(c, async (stream) => {
    let sent = '';
    let seq = 0;
    await followSearch(s, viewer, first, stream, async (view) => {
      const text = JSON.stringify(view);
      if (text === sent) return false;
      await stream.writeSSE({ event: 'view', id: String(seq++), data: text });
      sent = text;
      return false;
    });
  });
}
