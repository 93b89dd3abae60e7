import type { SearchNodeStatus } from '../search/search.sql.ts';
import type { SearchView } from '../search/search-view.ts';
import { providerAnswer } from './provider-answer.ts';

type NodeView = SearchView['nodes'][number];

/** Samply Beam's work states (beam-lib `WorkStatus`, lower-case on the wire). */
export type BeamWorkStatus = 'claimed' | 'succeeded' | 'tempfailed' | 'permfailed';

/**
 * Each per-node status of a search in Beam's terms, one row per status. `claimed` (its job is queued for it)
 * is the only one that is not final: Beam counts only the others toward `wait_count`. A node that
 * cannot evaluate the query fails for good (Focus reports every failure as permfailed); an error, a
 * node silent at the deadline and an offline node not asked may all answer another time.
 */
export const BEAM_STATUS: Record<SearchNodeStatus, BeamWorkStatus> = {
  pending: 'claimed',
  answered: 'succeeded',
  unsupported: 'permfailed',
  error: 'tempfailed',
  timed_out: 'tempfailed',
  skipped: 'tempfailed',
};

/** Where results appear to come from and go to, as Beam names apps: `<app>.<proxy>.<broker>`. */
export interface BeamAddresses {
  /** The broker id: the hub's host name. */
  broker: string;
  /** This hub as the Spot app that created the task. */
  spot: string;
}

export function beamAddresses(publicUrl: string): BeamAddresses {
  const broker = new URL(publicUrl).hostname;
  return { broker, spot: `spot.hub.${broker}` };
}

/** Words for a result that carries no counts, as Focus puts its error text in a failed result's body. */
function failureWords(n: NodeView, deadlineAt: string): string {
  switch (n.status) {
    case 'unsupported':
      return `the node cannot evaluate ${n.unsupportedKeys.join(', ')}; it gives no counts rather than counts that ignore them`;
    case 'error':
      return `the node reported an error: ${n.error?.message ?? 'no reason given'}`;
    case 'timed_out':
      return `no answer by the search's deadline (${deadlineAt})`;
    case 'skipped':
      return 'the node was offline when the search started and was not asked';
    default:
      return '';
  }
}

/**
 * One node's state as a Beam task result, the `data` of a `new_result` event (beam-lib `TaskResult`):
 * `from` is `focus.<node id>.<broker>`, which the explorer splits on dots to name the site; a succeeded
 * body is base64 of the provider answer, as Focus sends it. A claimed body is the text `null`, as Focus's
 * claim (`TaskResult<()>`) arrives; a failed one is words. `metadata` (free JSON in Beam, null from
 * Focus, ignored by Lens) carries the hub's own status, deadline and obfuscation note.
 */
export function beamResult(view: SearchView, n: NodeView, taskId: string, at: BeamAddresses) {
  const status = BEAM_STATUS[n.status];
  const answer = n.status === 'answered' ? providerAnswer(n) : undefined;
  return {
    from: `focus.${n.nodeId}.${at.broker}`,
    to: [at.spot],
    task: taskId,
    status,
    body: answer ? base64Json(answer) : status === 'claimed' ? 'null' : failureWords(n, view.deadlineAt),
    metadata: {
      node: { id: n.nodeId, name: n.name },
      search: view.id,
      status: n.status,
      deadline_at: view.deadlineAt,
      obfuscation_note: answer?.obfuscation_note ?? null,
      unsupported_keys: n.status === 'unsupported' ? n.unsupportedKeys : (n.result?.unsupported_keys ?? []),
      notices: view.notices,
    },
  };
}
export type BeamResult = ReturnType<typeof beamResult>;

/** Standard base64 of UTF-8 JSON (names and descriptions need not be ASCII), as the explorer's `atob` reads it. */
export function base64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
