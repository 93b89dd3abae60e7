import type { InferResponseType } from 'hono/client';
import { type HubClient, type Me, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';

type TraceList = InferResponseType<HubClient['tracer']['api']['v1']['traces']['$get'], 200>;
type Trace = TraceList['traces'][number];

/** The action-specific part of a trace, in a few words (tool and version, run, hashes, details). */
function summary(t: Trace): string {
  const p = t.payload as Record<string, unknown>;
  const tool = p.tool as { name?: string; version?: string } | undefined;
  const parts = [
    typeof p.details === 'string' ? p.details : '',
    tool ? `${tool.name} ${tool.version}` : '',
    typeof p.runId === 'string' ? `run ${p.runId}` : '',
    typeof p.nodeId === 'string' ? `on ${p.nodeId}` : '',
    p.datasetHashes ? 'SHA3-256 of index and contents recorded' : '',
  ];
  return parts.filter(Boolean).join(', ');
}

function tracesTable(list: TraceList): HTMLElement {
  if (list.traces.length === 0)
    return h('p', { class: 'muted', 'data-testid': 'history-empty' }, 'No recorded operations on this dataset.');
  return h(
    'table',
    { 'data-testid': 'history-table' },
    h('thead', {}, h('tr', {}, ...['#', 'When', 'Operation', 'By', 'Details', 'Submitted by'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...list.traces.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, t.seq),
          h('td', {}, new Date(t.timestamp).toLocaleString()),
          h('td', {}, t.userAction),
          h('td', {}, t.userId),
          h('td', {}, summary(t)),
          h('td', {}, t.submitter),
        ),
      ),
    ),
  );
}

/**
 * The seed's "access history": every recorded operation on one dataset (creation, updates, access
 * grants, uses, downloads), from the tamper-evident tracer log. The hub decides what the caller may
 * see; the page warns when the hub reports that the log does not verify.
 */
export function accessHistoryView(client: HubClient, me: Me): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' });
  const input = h('input', {
    id: 'history-dataset',
    list: 'history-datasets',
    required: true,
    placeholder: 'dataset id',
    'data-testid': 'history-dataset',
  });
  const options = h('datalist', { id: 'history-datasets' }, ...me.representedDatasets.map((d) => h('option', { value: d })));
  if (me.representedDatasets[0]) input.value = me.representedDatasets[0];
  const show = async () => {
    replace(out, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
    try {
      const list = await okJson(await client.tracer.api.v1.traces.$get({ query: { datasetId: input.value.trim(), limit: '1000' } }));
      replace(
        out,
        list.consistent
          ? null
          : h(
              'p',
              { class: 'error', role: 'alert', 'data-testid': 'history-inconsistent' },
              'The hub reports that the trace log does not verify: treat this history as unreliable.',
            ),
        tracesTable(list),
      );
    } catch (err) {
      replace(out, errorBox(err, 'Could not load the access history'));
    }
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-title', 'data-testid': 'access-history' },
    h('h2', { id: 'history-title' }, 'Access history'),
    h(
      'form',
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void show();
        },
      },
      h('label', { for: 'history-dataset' }, 'Dataset '),
      input,
      options,
      h('button', { type: 'submit', class: 'primary' }, 'Show'),
    ),
    out,
  );
}

/** A link to the access history for dataset representatives and admins; null for everyone else. */
export function accessHistoryLink(me: Me): HTMLElement | null {
  if (!canReadHistory(me)) return null;
  return h('p', {}, h('a', { href: '/access-history', 'data-testid': 'open-access-history' }, 'Access history of your datasets'));
}

export function canReadHistory(me: Me): boolean {
  return me.roles.includes('dataset_representative') || me.roles.includes('platform_admin');
}
