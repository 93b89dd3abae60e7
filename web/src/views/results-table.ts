import type { SearchView } from '../api.ts';
import { h } from '../dom.ts';
import type { PollOutcome } from '../search-poll.ts';

type NodeRow = SearchView['nodes'][number];

const statusLabels: Record<NodeRow['status'], string> = {
  pending: 'pending',
  answered: 'answered',
  error: 'error',
  timed_out: 'timed out',
};

/** Counts only for answered nodes: a pending or failed node has no count, which is not zero. */
function count(n: NodeRow, field: 'subjects_count' | 'studies_count'): string {
  return n.status === 'answered' && n.result ? String(n.result.total[field]) : '—';
}

/** Unsupported filter keys are shown, never hidden: that node's count ignores those filters. */
function notes(n: NodeRow): string {
  if (n.status === 'error') return n.error ? `${n.error.message} (${n.error.code})` : 'the node reported an error';
  const keys = n.result?.unsupported_keys ?? [];
  return keys.length > 0 ? `Ignored filters: ${keys.join(', ')}` : '';
}

function nodeRow(n: NodeRow): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-testid': `row-${n.nodeId}`, 'data-status': n.status },
    h('th', { scope: 'row', 'data-testid': 'node' }, n.nodeId),
    h('td', { 'data-testid': 'status' }, h('span', { class: `status status-${n.status}` }, statusLabels[n.status])),
    h('td', { class: 'num', 'data-testid': 'subjects' }, count(n, 'subjects_count')),
    h('td', { class: 'num', 'data-testid': 'studies' }, count(n, 'studies_count')),
    h('td', { 'data-testid': 'notes' }, notes(n)),
  );
}

function summary(view: SearchView, outcome: PollOutcome | 'polling'): string {
  const answered = view.nodes.filter((n) => n.status === 'answered').length;
  const of = `${answered} of ${view.nodes.length} nodes answered`;
  if (outcome === 'gave_up') return `Stopped waiting at the deadline; ${of}.`;
  return view.status === 'completed' ? `Completed: ${of}.` : `Running: ${of} so far…`;
}

/** The per-node answers of one search plus their total; re-rendered on every poll. */
export function resultsTable(view: SearchView, outcome: PollOutcome | 'polling'): HTMLElement {
  if (view.nodes.length === 0) {
    return h('p', { class: 'muted', 'data-testid': 'no-nodes' }, 'No node is online right now, so nobody could be asked. Try again later.');
  }
  return h(
    'div',
    { class: 'results', 'data-testid': 'results', 'data-search-id': view.id, 'data-search-status': view.status },
    h('p', { class: 'summary', role: 'status', 'data-testid': 'search-status' }, summary(view, outcome)),
    h(
      'table',
      {},
      h('caption', {}, 'Matching subjects and studies per node'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Node'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col', class: 'num' }, 'Subjects'),
          h('th', { scope: 'col', class: 'num' }, 'Studies'),
          h('th', { scope: 'col' }, 'Notes'),
        ),
      ),
      h('tbody', {}, ...view.nodes.map(nodeRow)),
      h(
        'tfoot',
        {},
        h(
          'tr',
          { 'data-testid': 'row-total' },
          h('th', { scope: 'row' }, 'Total'),
          h('td', {}, view.status === 'completed' ? '' : 'so far'),
          h('td', { class: 'num', 'data-testid': 'subjects' }, String(view.total.subjects_count)),
          h('td', { class: 'num', 'data-testid': 'studies' }, String(view.total.studies_count)),
          h('td', {}, ''),
        ),
      ),
    ),
  );
}
