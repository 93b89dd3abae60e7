// The landing page: the catalogue in figures (the seed's figure 4-2), public, read from the hub's
// dashboard route each time the page is opened, then the seed's "Become a ..." links (figure 4-4).
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import type { Dashboard } from './catalogue-types.ts';
import { chartFigure } from './dashboard-charts.ts';
import { JOIN_ROLES } from './join-pages.ts';

function figure(label: string, value: number, testid: string): HTMLElement {
  return h('div', { class: 'figure', 'data-testid': testid }, h('strong', {}, value.toLocaleString('en')), h('span', {}, label));
}

export async function dashboardPage(ctx: PageContext): Promise<Node> {
  const d: Dashboard = await okJson(await ctx.client.api.v1.catalogue.dashboard.$get());
  const shortTitle = (t: string) => (t.length > 28 ? `${t.slice(0, 27)}…` : t);
  const search = h(
    'form',
    { class: 'dashboard-search', role: 'search', action: '/catalogue' },
    h('input', {
      type: 'search',
      name: 'q',
      placeholder: 'Search datasets',
      'aria-label': 'Search datasets',
      'data-testid': 'dashboard-search',
    }),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new FormData(search).get('q');
    ctx.navigate(q ? `/catalogue?q=${encodeURIComponent(String(q))}` : '/catalogue');
  });
  const charts =
    d.datasets === 0
      ? [h('p', { class: 'card muted', 'data-testid': 'dashboard-empty' }, 'No dataset is published yet.')]
      : [
          chartFigure({
            id: 'per-dataset',
            title: 'Subjects and studies per dataset',
            kind: 'bar',
            horizontal: true,
            labels: d.perDataset.map((p) => shortTitle(p.title)),
            series: [
              { label: 'Subjects', values: d.perDataset.map((p) => p.subjects) },
              { label: 'Studies', values: d.perDataset.map((p) => p.studies) },
            ],
          }),
          chartFigure({
            id: 'per-modality',
            title: 'Studies per modality',
            kind: 'bar',
            labels: d.studiesPerModality.map((m) => m.label),
            series: [{ label: 'Studies', values: d.studiesPerModality.map((m) => m.count) }],
          }),
          chartFigure({
            id: 'per-body-part',
            title: 'Datasets per body part',
            kind: 'doughnut',
            labels: d.datasetsPerBodyPart.map((b) => b.label),
            series: [{ label: 'Datasets', values: d.datasetsPerBodyPart.map((b) => b.count) }],
          }),
        ];
  return h(
    'div',
    { class: 'dashboard', 'data-testid': 'dashboard' },
    h(
      'section',
      { class: 'card intro' },
      h('h2', {}, 'Cancer Image Europe'),
      h(
        'p',
        {},
        'Find imaging datasets across the federation, see what each holds and where it sits, and ask for access. Images stay at the data holders.',
      ),
      search,
    ),
    h(
      'section',
      { class: 'figures', 'aria-label': 'The catalogue in figures' },
      figure('datasets', d.datasets, 'total-datasets'),
      figure('subjects', d.subjects, 'total-subjects'),
      figure('imaging studies', d.studies, 'total-studies'),
    ),
    h(
      'p',
      {},
      h('a', { href: '/catalogue', class: 'button primary', 'data-testid': 'browse-catalogue' }, 'Browse the catalogue'),
      ' ',
      h('a', { href: '/catalogue/networks', class: 'button' }, 'Networks and biobanks'),
    ),
    h('div', { class: 'charts' }, ...charts),
    becomeA(),
  );
}

/** The seed's home page ends in its four "Become a ..." sections: one card per role, leading to its page. */
function becomeA(): HTMLElement {
  return h(
    'section',
    { class: 'become-a', 'aria-label': 'Take part in EUCAIM', 'data-testid': 'become-a' },
    ...Object.entries(JOIN_ROLES).map(([key, role]) =>
      h(
        'a',
        { href: `/join/${key.replace('_', '-')}`, class: 'card become-a-card', 'data-testid': `become-${key}` },
        h('strong', {}, role.title),
        h('span', {}, role.who),
      ),
    ),
  );
}
