import type { Catalogue, SearchView } from '../api.ts';
import { addToCart, inCart } from '../cart.ts';
import { h } from '../dom.ts';
import type { QueryBranch } from '../../../shared/query.ts';
import type { PollOutcome } from '../search-poll.ts';
import { type NodeRow, nodeNotes, statusLabels } from './node-notes.ts';

/** Counts only for answered nodes: a pending or failed node has no count, which is not zero. */
function count(n: NodeRow, field: 'subjects_count' | 'studies_count'): string {
  return n.status === 'answered' && n.result ? String(n.result.total[field]) : '—';
}

function cartButton(view: SearchView, n: NodeRow, d: { id: string; name: string }, query?: QueryBranch): HTMLButtonElement {
  const added = inCart(d.id, n.nodeId);
  const button = h(
    'button',
    { type: 'button', class: 'small', 'data-testid': 'add-to-cart', disabled: added },
    added ? 'In request' : 'Add to request',
  );
  button.addEventListener('click', () => {
    addToCart({ datasetId: d.id, name: d.name, nodeId: n.nodeId, searchId: view.id, from: 'explorer', query });
    button.disabled = true;
    button.textContent = 'In request';
  });
  return button;
}

function nodeRows(view: SearchView, n: NodeRow, catalogue: Catalogue, query?: QueryBranch): HTMLTableRowElement[] {
  const head = h(
    'tr',
    { class: 'node-row', 'data-testid': `row-${n.nodeId}`, 'data-status': n.status },
    h('th', { scope: 'row', 'data-testid': 'node' }, n.name),
    h('td', { 'data-testid': 'status' }, h('span', { class: `status status-${n.status}` }, statusLabels[n.status])),
    h('td', { class: 'num', 'data-testid': 'subjects' }, count(n, 'subjects_count')),
    h('td', { class: 'num', 'data-testid': 'studies' }, count(n, 'studies_count')),
    h('td', { 'data-testid': 'notes' }, nodeNotes(n, catalogue)),
  );
  const datasets = n.status === 'answered' ? (n.result?.collections ?? []) : [];
  return [
    head,
    ...datasets.map((d) =>
      h(
        'tr',
        { class: 'dataset-row', 'data-testid': `dataset-${n.nodeId}-${d.id}` },
        // The catalogue pages come with the catalogue issue; the link is already its address.
        h(
          'td',
          { class: 'dataset' },
          h('a', { href: `/catalogue/datasets/${encodeURIComponent(d.id)}`, 'data-testid': 'dataset-link' }, d.name),
        ),
        h('td', {}, ''),
        h('td', { class: 'num', 'data-testid': 'subjects' }, String(d.subjects_count)),
        h('td', { class: 'num', 'data-testid': 'studies' }, String(d.studies_count)),
        h('td', {}, cartButton(view, n, d, query)),
      ),
    ),
  ];
}

function summary(view: SearchView, outcome: PollOutcome | 'live'): string {
  const asked = view.nodes.filter((n) => n.status !== 'skipped');
  const answered = view.nodes.filter((n) => n.status === 'answered').length;
  const of = `${answered} of ${asked.length} nodes answered`;
  if (outcome === 'gave_up') return `Stopped waiting at the deadline; ${of}.`;
  return view.status === 'completed' ? `Completed: ${of}.` : `Running: ${of} so far…`;
}

/**
 * What the hub says about the query itself (a filter key or value its catalogue does not know, sent on
 * to the nodes all the same), beside the results: a node may count such a term as matching nothing.
 */
function notices(view: SearchView): HTMLElement | null {
  if (view.notices.length === 0) return null;
  return h(
    'ul',
    { class: 'notices', role: 'note', 'aria-label': 'About this query', 'data-testid': 'notices' },
    ...view.notices.map((n) => h('li', { 'data-testid': 'notice' }, n)),
  );
}

/** Per provider (node) and dataset, with totals and each node's status; redrawn on every change. */
/** `query` is the search's tree, carried into the access-request cart with each dataset added. */
export function resultsView(
  view: SearchView,
  catalogue: Catalogue,
  outcome: PollOutcome | 'live',
  onReport: () => void,
  query?: QueryBranch,
): HTMLElement {
  if (view.nodes.length === 0) {
    return h('p', { class: 'muted', 'data-testid': 'no-nodes' }, 'No node is registered yet, so nobody could be asked.');
  }
  return h(
    'div',
    { class: 'results', 'data-testid': 'results', 'data-search-id': view.id, 'data-search-status': view.status },
    h(
      'div',
      { class: 'results-head' },
      h('p', { class: 'summary', role: 'status', 'data-testid': 'search-status' }, summary(view, outcome)),
      h('button', { type: 'button', 'data-testid': 'download-report', onclick: () => onReport() }, 'Download report'),
    ),
    notices(view),
    h(
      'table',
      {},
      h('caption', {}, 'Matching subjects and studies per provider and dataset'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Provider / dataset', 'Status', 'Subjects', 'Studies', 'Notes'].map((t, i) =>
            h('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : undefined }, t),
          ),
        ),
      ),
      h('tbody', {}, ...view.nodes.flatMap((n) => nodeRows(view, n, catalogue, query))),
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
