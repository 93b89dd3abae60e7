// One negotiation as its researcher, a representative of one of its datasets or an admin sees it:
// the states, the buttons for exactly the events the shared chart lets this viewer fire now, the
// application (editable while a draft), attachments, messages and the timeline. The hub re-checks every event.
import type { InferResponseType } from 'hono/client';
import type { FormAnswers, FormDefinition } from '../../../shared/negotiation/form-template.ts';
import {
  type DatasetEvent,
  datasetChart,
  DATASETS_MOVE_WHILE,
  type NegotiationEvent,
  negotiationChart,
} from '../../../shared/negotiation/lifecycle.ts';
import { allowedEvents, type LifecycleRole } from '../../../shared/negotiation/state-chart.ts';
import { type HubClient, type Me, okJson } from '../api.ts';
import { h } from '../dom.ts';
import { errorBox } from './error-box.ts';
import { attachmentsSection, postsSection, timelineSection } from './negotiation-conversation.ts';
import { negotiationForm } from './negotiation-form.ts';

type View = InferResponseType<HubClient['api']['v1']['negotiations'][':id']['$get'], 200>;

const label = (chart: { states: readonly { id: string; label: string }[] }, id: string) =>
  chart.states.find((s) => s.id === id)?.label ?? id;
const eventLabel = (chart: { events: readonly { id: string; label: string }[] }, id: string) =>
  chart.events.find((e) => e.id === id)?.label ?? id;

function rolesOf(me: Me, view: View, datasetId?: string): LifecycleRole[] {
  const roles: LifecycleRole[] = [];
  if (me.sub === view.author) roles.push('researcher');
  if (datasetId && me.representedDatasets.includes(datasetId)) roles.push('representative');
  if (me.roles.includes('platform_admin')) roles.push('admin');
  return roles;
}

function union<E extends string>(lists: E[][]): E[] {
  return [...new Set(lists.flat())];
}

export async function negotiationPage(client: HubClient, me: Me, id: string, reload: () => void): Promise<HTMLElement> {
  const view: View = await okJson(await client.api.v1.negotiations[':id'].$get({ param: { id } }));
  const root = h('div', { 'data-testid': 'negotiation', 'data-state': view.state });
  const run = (button: HTMLButtonElement, call: () => Promise<Response>) => {
    button.disabled = true;
    call()
      .then((res) => okJson(res))
      .then(reload)
      .catch((err) => {
        button.disabled = false;
        root.prepend(errorBox(err, 'The hub refused'));
      });
  };

  const negotiationEvents = union(rolesOf(me, view).map((r) => allowedEvents(negotiationChart, view.state, r))).filter(
    (e) => e !== 'submit',
  );
  const negotiationButtons = negotiationEvents.map((event: NegotiationEvent) => {
    const b = h('button', { type: 'button', 'data-testid': `neg-event-${event}` }, eventLabel(negotiationChart, event));
    b.addEventListener('click', () => run(b, () => client.api.v1.negotiations[':id'].events.$post({ param: { id }, json: { event } })));
    return b;
  });

  const moving = DATASETS_MOVE_WHILE.includes(view.state);
  const datasetRow = (d: View['datasets'][number]) => {
    const events = moving ? union(rolesOf(me, view, d.id).map((r) => allowedEvents(datasetChart, d.state, r))) : [];
    const cell = h('td', {});
    for (const event of events as DatasetEvent[]) {
      const b = h('button', { type: 'button', class: 'small', 'data-testid': `ds-event-${event}` }, eventLabel(datasetChart, event));
      b.addEventListener('click', () =>
        event === 'grant_access'
          ? cell.replaceChildren(grantForm(d.id))
          : run(b, () =>
              client.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({ param: { id, datasetId: d.id }, json: { event } }),
            ),
      );
      cell.append(b, ' ');
    }
    return h(
      'tr',
      { 'data-testid': `dataset-${d.id}`, 'data-state': d.state },
      h('td', {}, h('a', { href: `/catalogue/datasets/${d.id}` }, d.id)),
      h('td', { 'data-testid': 'dataset-state' }, label(datasetChart, d.state)),
      cell,
    );
  };

  // What the representative grants: how the data may be used, on which terms, for how long.
  function grantForm(datasetId: string): HTMLElement {
    const access = h(
      'select',
      { id: `grant-access-${datasetId}` },
      ...['REMOTE_PROCESSING', 'IN_SITU_PROCESSING', 'DOWNLOAD'].map((v) => h('option', { value: v }, v)),
    );
    const conditions = h('textarea', { id: `grant-conditions-${datasetId}`, rows: '2' });
    const days = h('input', { id: `grant-days-${datasetId}`, type: 'number', value: '365', min: '1', max: '730' });
    const go = h('button', { type: 'button', class: 'primary', 'data-testid': 'grant-submit' }, 'Grant access');
    go.addEventListener('click', () =>
      run(go, () =>
        client.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({
          param: { id, datasetId },
          json: {
            event: 'grant_access',
            grant: { access: access.value as 'DOWNLOAD', conditions: conditions.value, validDays: Number(days.value) },
          },
        }),
      ),
    );
    return h(
      'div',
      { class: 'grant-form' },
      h('label', { for: access.id }, 'Access'),
      access,
      h('label', { for: conditions.id }, 'Conditions'),
      conditions,
      h('label', { for: days.id }, 'Valid for (days)'),
      days,
      go,
    );
  }

  root.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Access request ', h('code', {}, view.id)),
      h(
        'p',
        {},
        'State: ',
        h('strong', { 'data-testid': 'negotiation-state' }, label(negotiationChart, view.state)),
        view.humanReadable ? ` · ${view.humanReadable}` : '',
      ),
      negotiationButtons.length ? h('p', {}, ...negotiationButtons) : null,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Dataset'), h('th', {}, 'State'), h('th', {}, 'Actions'))),
        h('tbody', {}, ...view.datasets.map(datasetRow)),
      ),
    ),
  );

  const ctx = { client, me, id, author: view.author, datasets: view.datasets, reload };
  // The author changes the application while it is a draft, and attachments also while a dataset is returned.
  const editable = view.state === 'DRAFT' || view.datasets.some((d) => d.state === 'RETURNED_FOR_RESUBMISSION');
  const files = await attachmentsSection({ ...ctx, editable });
  if (view.state === 'DRAFT' && me.sub === view.author) {
    // The version this request started with, not necessarily the newest one.
    const form = (await okJson(await client.api.v1.negotiations[':id'].form.$get({ param: { id } }))) as FormDefinition;
    const store = {
      load: () => ({ ...(view.answers as FormAnswers) }),
      save: async (answers: FormAnswers) => {
        await okJson(await client.api.v1.negotiations[':id'].answers.$put({ param: { id }, json: { answers } }));
      },
    };
    const submit = async () => {
      await okJson(await client.api.v1.negotiations[':id'].events.$post({ param: { id }, json: { event: 'submit' } }));
      reload();
      return 'Submitted.';
    };
    const datasets = view.datasets.map((d) => ({ datasetId: d.id, name: d.id, nodeId: '' }));
    root.append(
      h(
        'section',
        { class: 'card' },
        h('h2', {}, form.title),
        negotiationForm(form, { store, onSubmit: submit, datasets, attachments: files.attachments }),
      ),
    );
  }
  root.append(files.section);

  if (me.sub === view.author) {
    const grants = (await okJson(await client.api.v1.grants.$get())).grants.filter((g) => g.negotiationId === id);
    if (grants.length)
      root.append(
        h(
          'section',
          { class: 'card', 'data-testid': 'grants' },
          h('h2', {}, 'Your grants'),
          h(
            'p',
            { class: 'muted' },
            'Signed statements the nodes check before they let you process the data; all of them are under ',
            h('a', { href: '/my-datasets' }, 'My datasets'),
            '.',
          ),
          h(
            'ul',
            {},
            ...grants.map((g) =>
              h(
                'li',
                { 'data-testid': `grant-${g.datasetId}` },
                `${g.datasetTitle}: ${g.access} until ${g.expiresAt.slice(0, 10)}`,
                g.revoked ? ' (revoked)' : '',
                g.conditions ? ` · ${g.conditions}` : '',
              ),
            ),
          ),
        ),
      );
  }
  if (me.roles.includes('platform_admin') && view.grants.length)
    root.append(
      h(
        'section',
        { class: 'card', 'data-testid': 'issued-grants' },
        h('h2', {}, 'Grants issued'),
        h(
          'ul',
          {},
          ...view.grants.map((g) => {
            const revoke = h(
              'button',
              { type: 'button', class: 'small', 'data-testid': `revoke-${g.id}`, disabled: g.revoked },
              g.revoked ? 'Revoked' : 'Revoke',
            );
            revoke.addEventListener('click', () => run(revoke, () => client.api.v1.grants[':id'].revoke.$post({ param: { id: g.id } })));
            return h('li', {}, `${g.datasetId}: ${g.access} until ${g.expiresAt.slice(0, 10)} `, revoke);
          }),
        ),
      ),
    );
  root.append(await postsSection(ctx), await timelineSection(ctx));
  return root;
}
