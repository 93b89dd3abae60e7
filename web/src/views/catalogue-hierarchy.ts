// The hierarchy of the seed: networks > imaging biobanks (dataset series) > datasets. The list of
// networks, one network with its biobanks, and one biobank with its published datasets.
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import type { NetworkView } from './catalogue-types.ts';

function seriesList(series: NetworkView['series']): HTMLElement {
  if (!series.length) return h('p', { class: 'muted' }, 'No imaging biobank yet.');
  return h(
    'ul',
    { class: 'series-list' },
    ...series.map((s) =>
      h(
        'li',
        { 'data-testid': `series-${s.id}` },
        h('a', { href: `/catalogue/series/${s.id}` }, s.title),
        ` — ${s.datasets} published dataset${s.datasets === 1 ? '' : 's'}`,
      ),
    ),
  );
}

export async function networksPage(ctx: PageContext): Promise<Node> {
  const { networks } = await okJson(await ctx.client.api.v1.catalogue.networks.$get());
  return h(
    'div',
    { 'data-testid': 'networks' },
    h('h2', {}, 'Networks and imaging biobanks'),
    ...networks.map((n) =>
      h(
        'section',
        { class: 'card' },
        h('h3', {}, h('a', { href: `/catalogue/networks/${n.id}` }, n.title)),
        h('p', {}, n.description),
        seriesList(n.series),
      ),
    ),
  );
}

export async function networkPage(ctx: PageContext): Promise<Node> {
  const n = await okJson(await ctx.client.api.v1.catalogue.networks[':id'].$get({ param: { id: ctx.params.id ?? '' } }));
  return h(
    'div',
    { 'data-testid': 'network-page' },
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Hierarchy' },
      h('a', { href: '/catalogue/networks' }, 'Networks'),
      h('span', { 'aria-current': 'page' }, n.title),
    ),
    h('h2', {}, n.title),
    h('p', {}, n.description),
    seriesList(n.series),
  );
}

export async function seriesPage(ctx: PageContext): Promise<Node> {
  const id = ctx.params.id ?? '';
  const s = await okJson(await ctx.client.api.v1.catalogue.series[':id'].$get({ param: { id } }));
  const { items, total } = await okJson(await ctx.client.api.v1.catalogue.datasets.$get({ query: { series: id, limit: '100' } as never }));
  return h(
    'div',
    { 'data-testid': 'series-page' },
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Hierarchy' },
      h('a', { href: '/catalogue/networks' }, 'Networks'),
      s.network ? h('a', { href: `/catalogue/networks/${s.network.id}` }, s.network.title) : null,
      h('span', { 'aria-current': 'page' }, s.title),
    ),
    h('h2', {}, s.title),
    h('p', {}, s.description),
    h('p', { class: 'muted' }, `Published by ${s.publisher.name}. ${total} published dataset${total === 1 ? '' : 's'}.`),
    h(
      'ul',
      {},
      ...items.map((d) =>
        h('li', {}, h('a', { href: `/catalogue/datasets/${d.id}` }, d.title), ` — ${d.subjects} subjects, ${d.studies} studies`),
      ),
    ),
    total > items.length
      ? h('p', {}, h('a', { href: `/catalogue?series=${encodeURIComponent(id)}` }, `All ${total} in the catalogue`))
      : null,
  );
}
