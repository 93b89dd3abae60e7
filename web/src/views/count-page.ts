import { type HubClient, okJson } from '../api.ts';
import { h, replace } from '../dom.ts';
import { countQuery, modalities, modalityCriteria } from '../query.ts';
import { followSearch } from '../search-poll.ts';
import { errorBox } from './error-box.ts';
import { resultsTable } from './results-table.ts';

function modalityChoice(value: string, label: string, checked: boolean): HTMLElement {
  const id = `modality-${value}`;
  return h(
    'label',
    { class: 'choice', for: id },
    h('input', { type: 'radio', name: 'modality', id, value, checked, 'data-testid': `modality-${label}` }),
    label,
  );
}

/** The members' page: choose criteria, start a federated count, watch the nodes answer. */
export function countPage(client: HubClient): HTMLElement {
  const results = h('div', { 'aria-live': 'polite' });
  const section = h('section', { class: 'card', 'aria-label': 'Results', hidden: true }, results);
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'count-submit' }, 'Count');
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'count-title', 'data-testid': 'count-form' },
    h('h2', { id: 'count-title' }, 'Count matching subjects'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Imaging modality'),
      modalityChoice('any', 'Any', true),
      ...modalities.map((m) => modalityChoice(m.code, m.label, false)),
    ),
    submit,
    h('p', { class: 'muted hint' }, "Each node counts its own data. Nodes that do not answer by the deadline are shown as timed out."),
  );
  // Only the newest search may draw: starting another one stops polling the previous one.
  let running: AbortController | undefined;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const choice = String(new FormData(form).get('modality') ?? 'any');
    submit.disabled = true;
    section.hidden = false;
    replace(results, h('p', { class: 'muted', role: 'status' }, 'Sending the query to every online node…'));
    try {
      const created = await okJson(await client.api.v1.search.$post({ json: { ast: countQuery(modalityCriteria(choice)) } }));
      // Disabled only while posting (no double submits); a newer search may replace this one.
      submit.disabled = false;
      let last = created;
      const outcome = await followSearch(client, created, {
        signal: controller.signal,
        onUpdate: (view) => {
          last = view;
          replace(results, resultsTable(view, 'polling'));
        },
      });
      if (outcome === 'gave_up') replace(results, resultsTable(last, outcome));
    } catch (err) {
      if (!controller.signal.aborted) replace(results, errorBox(err, 'The count failed'));
      submit.disabled = false;
    }
  });

  return h('div', {}, form, section);
}
