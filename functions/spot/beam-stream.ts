import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { HubEnv } from '../env.ts';
import { followSearch } from '../search/search-events.ts';
import { getSearch, type Viewer } from '../search/search-view.ts';
import { type BeamWorkStatus, beamAddresses, beamResult } from './beam-results.ts';

/**
 * A task's results as Spot passes Beam's stream on (samply/spot `handle_listen_to_beam_tasks`, samply/beam
 * `TaskManager::stream_results`): one `new_result` event per node state change, `claimed` first for every
 * node with its job; Beam closes once `wait_count` results that are not `claimed` have been sent (by
 * default every node of the search), and sends `wait_expired` (data `null`) when it stops short of them.
 * Here the search's deadline is what stops it short: by then every node has a final state, so only a
 * `wait_count` above the number of nodes asked sees `wait_expired`. `wait_count=0` sends what there is now.
 */
export async function beamEvents(c: Context<HubEnv>, viewer: Viewer, searchId: string, taskId: string, waitCount?: number) {
  const s = c.get('services');
  const first = await getSearch(s, viewer, searchId);
  const at = beamAddresses(s.config.PUBLIC_URL);
  const wanted = waitCount ?? first.nodes.length;
  return streamSSE(c, async (stream) => {
    const sent = new Map<string, BeamWorkStatus>();
    let finals = 0;
    await followSearch(s, viewer, first, stream, async (view) => {
      for (const n of view.nodes) {
        const result = beamResult(view, n, taskId, at);
        if (sent.get(n.nodeId) === result.status) continue;
        await stream.writeSSE({ event: 'new_result', data: JSON.stringify(result) });
        sent.set(n.nodeId, result.status);
        if (result.status !== 'claimed') finals++;
        if (wanted > 0 && finals >= wanted) return true;
      }
      return wanted === 0;
    });
    if (wanted > 0 && finals < wanted && !stream.aborted) await stream.writeSSE({ event: 'wait_expired', data: 'null' });
  });
}
