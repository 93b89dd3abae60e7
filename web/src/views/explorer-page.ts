import { type Catalogue, type HubClient, okJson, type SearchView } from '../api.ts';
import { h, replace, saveAs } from '../dom.ts';
import { lensQuery } from '../query.ts';
import { streamSearch } from '../search-stream.ts';
import { errorBox } from './error-box.ts';
import { filterControls } from './filters-form.ts';
import { resultsView } from './results-view.ts';

/** Saves the hub's JSON report (the download needs the Authorization header). */
async function downloadReport(client: HubClient, searchId: string): Promise<void> {
  const res = await client.api.v1.search[':id'].report.$get({ param: { id: searchId } });
  if (!res.ok) await okJson(res);
  await saveAs(res, `eucaim-search-${searchId}.json`);
}

/** The members' explorer: filters from the catalogue, a federated count, results as they arrive. */
export function explorerPage(client: HubClient, catalogue: Catalogue): HTMLElement {
  const filters = filterControls(catalogue);
  const results = h('div', { 'aria-live': 'polite' });
  const section = h('section', { class: 'card', 'aria-label': 'Results', hidden: true }, results);
  const deadline = h('input', { type: 'number', id: 'deadline', min: '1', max: '60', value: '10', 'data-testid': 'deadline' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'search-submit' }, 'Search');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'explorer-title', 'data-testid': 'explorer-form' },
    h('h2', { id: 'explorer-title' }, 'Federated search'),
    filters.element,
    h('p', { class: 'deadline' }, h('label', { for: 'deadline' }, 'Wait for nodes (seconds)'), deadline),
    submit,
    h('p', { class: 'muted hint' }, 'Each node counts its own data. Nodes that do not answer by the deadline are shown as timed out.'),
  );
  // Only the newest search may draw: starting another one stops following the previous one.
  let running: AbortController | undefined;
  const onReport = (view: SearchView) => () => {
    downloadReport(client, view.id).catch((err) => results.prepend(errorBox(err, 'The report could not be downloaded')));
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    running?.abort();
    const controller = new AbortController();
    running = controller;
    submit.disabled = true;
    section.hidden = false;
    replace(results, h('p', { class: 'muted', role: 'status' }, 'Sending the query to every online node…'));
    try {
      const deadlineSeconds = Number(deadline.value) || undefined;
      const ast = lensQuery(filters.criteria());
      const created = await okJson(await client.api.v1.search.$post({ json: { ast, deadlineSeconds } }));
      // Disabled only while posting (no double submits); a newer search may replace this one.
      submit.disabled = false;
      let last = created;
      const outcome = await streamSearch(client, created, {
        signal: controller.signal,
        onUpdate: (view) => {
          last = view;
          replace(results, resultsView(view, catalogue, 'live', onReport(view), ast));
        },
      });
      if (outcome === 'gave_up') replace(results, resultsView(last, catalogue, outcome, onReport(last), ast));
    } catch (err) {
      if (!controller.signal.aborted) replace(results, errorBox(err, 'The search failed'));
      submit.disabled = false;
    }
  });

  return h('div', {}, form, section);
}
