// "My requests": the researcher's negotiations, newest first, and for representatives and admins
// what waits for them (the events they may fire now), each linking to the negotiation's page.
import { datasetChart, negotiationChart } from '../../../shared/negotiation/lifecycle.ts';
import { type HubClient, okJson } from '../api.ts';
import { h } from '../dom.ts';

const label = (chart: { states: readonly { id: string; label: string }[] }, state: string) =>
  chart.states.find((s) => s.id === state)?.label ?? state;
const link = (id: string) => h('a', { href: `/negotiations/${id}` }, id);

export async function myNegotiationsPage(client: HubClient): Promise<HTMLElement> {
  const [{ negotiations }, waiting] = await Promise.all([
    okJson(await client.api.v1.negotiations.$get()),
    okJson(await client.api.v1.negotiations.waiting.$get()).then((w) => w.negotiations),
  ]);
  const page = h('div', {});
  if (waiting.length > 0) {
    page.append(
      h(
        'section',
        { class: 'card', 'data-testid': 'waiting' },
        h('h2', {}, 'Waiting for you'),
        h(
          'ul',
          {},
          ...waiting.map((n) =>
            h(
              'li',
              { 'data-testid': `waiting-${n.id}` },
              link(n.id),
              ` · ${label(negotiationChart, n.state)}`,
              n.events.length ? ` · you may ${n.events.join(', ')}` : '',
              ...n.datasets.map((d) =>
                h('div', { class: 'muted' }, `${d.id}: ${label(datasetChart, d.state)} · you may ${d.events.join(', ')}`),
              ),
            ),
          ),
        ),
      ),
    );
  }
  page.append(
    h(
      'section',
      { class: 'card', 'data-testid': 'my-negotiations' },
      h('h2', {}, 'My access requests'),
      negotiations.length
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, 'Request'), h('th', {}, 'State'), h('th', {}, 'Started'))),
            h(
              'tbody',
              {},
              ...negotiations.map((n) =>
                h('tr', {}, h('td', {}, link(n.id)), h('td', {}, label(negotiationChart, n.state)), h('td', {}, n.createdAt.slice(0, 10))),
              ),
            ),
          )
        : h(
            'p',
            { class: 'muted' },
            'No requests yet. Add datasets from the search results or the catalogue, then send them for negotiation.',
          ),
    ),
  );
  return page;
}
