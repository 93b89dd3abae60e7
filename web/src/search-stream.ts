import { type HubClient, okJson, type SearchView } from './api.ts';
import { followSearch, type PollOutcome } from './search-poll.ts';
import { readSse } from './sse.ts';

/**
 * Follows a search live through the hub's event stream (fetch with the Authorization header, as
 * EventSource cannot send one). If the stream breaks before the search completes, polling takes
 * over from the last view, so a proxy that buffers or cuts streams costs latency, not results.
 */
export async function streamSearch(
  client: HubClient,
  first: SearchView,
  opts: { signal: AbortSignal; onUpdate(view: SearchView): void },
): Promise<PollOutcome> {
  let last = first;
  opts.onUpdate(first);
  try {
    const res = await client.api.v1.search[':id'].events.$get({ param: { id: first.id } }, { init: { signal: opts.signal } });
    if (!res.ok || !res.body) await okJson(res);
    await readSse(
      res.body as ReadableStream<Uint8Array>,
      (e) => {
        if (e.event !== 'view') return;
        last = JSON.parse(e.data) as SearchView;
        opts.onUpdate(last);
      },
      opts.signal,
    );
  } catch (err) {
    if (opts.signal.aborted) return 'aborted';
    if ((err as { status?: number }).status === 404) throw err;
  }
  if (opts.signal.aborted) return 'aborted';
  if (last.status === 'completed') return 'completed';
  return followSearch(client, last, opts);
}
