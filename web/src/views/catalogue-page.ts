// `/catalogue`: full-text search, filters with facet counts, sorting and paging over published
// datasets. The address holds the whole state, so a search can be bookmarked, shared and carried
// into the access-request cart.
import { BROWSE_FILTERS, type BrowseFilter } from '../../../shared/catalogue/registration.ts';
import { CONDITIONS, labelOf, MODALITIES, BODY_PARTS } from '../../../shared/catalogue/vocabularies.ts';
import { okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { cartToggle } from './cart-button.ts';
import { filterPanel } from './catalogue-filters.ts';
import type { BrowseResult, DatasetSummary } from './catalogue-types.ts';

const PAGE_SIZE = 20;
const SORTS: [string, string][] = [
  ['', 'Best match / title'],
  ['title', 'Title A-Z'],
  ['-subjects', 'Most subjects'],
  ['-studies', 'Most studies'],
  ['-modified', 'Recently updated'],
];

function datasetCard(d: DatasetSummary, query: string): HTMLElement {
  return h(
    'li',
    { class: 'card dataset-card', 'data-testid': `catalogue-item-${d.id}` },
    h('h3', {}, h('a', { href: `/catalogue/datasets/${d.id}`, 'data-testid': 'catalogue-item-link' }, d.title)),
    h(
      'p',
      { class: 'muted' },
      `${labelOf(CONDITIONS, d.condition)} · ${d.modalities.map((m) => labelOf(MODALITIES, m)).join(', ')} · ${d.bodyParts.map((b) => labelOf(BODY_PARTS, b)).join(', ')} · ${d.publisher}`,
    ),
    h('p', {}, d.description),
    h(
      'p',
      { class: 'facts' },
      h('span', { 'data-testid': 'item-subjects' }, `${d.subjects.toLocaleString('en')} subjects`),
      ' · ',
      h('span', {}, `${d.studies.toLocaleString('en')} studies`),
      ' ',
      cartToggle({ datasetId: d.id, name: d.title, nodeId: d.nodeId ?? '', from: 'catalogue', catalogueQuery: query || undefined }),
    ),
  );
}

export async function cataloguePage(ctx: PageContext): Promise<Node> {
  const params = new URLSearchParams(ctx.query);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const filters: Partial<Record<BrowseFilter, string[]>> = {};
  for (const f of BROWSE_FILTERS) if (params.getAll(f).length) filters[f] = params.getAll(f);
  const sort = params.get('sort') ?? '';
  const q = params.get('q') ?? '';
  const result: BrowseResult = await okJson(
    await ctx.client.api.v1.catalogue.datasets.$get({
      query: {
        ...filters,
        ...(q ? { q } : {}),
        ...(sort ? { sort: sort as never } : {}),
        limit: String(PAGE_SIZE),
        offset: String(offset),
        facets: 'true',
      } as never,
    }),
  );
  const go = (change: (p: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    next.delete('offset');
    change(next);
    ctx.navigate(`/catalogue${next.size ? `?${next}` : ''}`);
  };
  const searchForm = h(
    'form',
    { role: 'search', class: 'catalogue-search' },
    h('input', {
      type: 'search',
      name: 'q',
      value: q,
      placeholder: 'Words in titles, keywords, descriptions, providers',
      'aria-label': 'Search the catalogue',
      'data-testid': 'catalogue-q',
    }),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'catalogue-search' }, 'Search'),
  );
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = String(new FormData(searchForm).get('q') ?? '').trim();
    go((p) => (value ? p.set('q', value) : p.delete('q')));
  });
  const sortSelect = h(
    'select',
    { 'aria-label': 'Sort by', 'data-testid': 'catalogue-sort' },
    ...SORTS.map(([v, label]) => h('option', { value: v, selected: v === sort }, label)),
  );
  sortSelect.addEventListener('change', () => go((p) => (sortSelect.value ? p.set('sort', sortSelect.value) : p.delete('sort'))));
  const facets = result.facets ?? {
    condition: [],
    bodyPart: [],
    modality: [],
    manufacturer: [],
    publisher: [],
    accessCondition: [],
    tier: [],
    series: [],
  };
  const panel = filterPanel(facets, params, (filter, value, on) =>
    go((p) => {
      const rest = p.getAll(filter).filter((v) => v !== value);
      p.delete(filter);
      for (const v of on ? [...rest, value] : rest) p.append(filter, v);
    }),
  );
  const page = (to: number) =>
    h(
      'a',
      {
        class: 'button',
        href: `/catalogue?${new URLSearchParams([...[...params].filter(([k]) => k !== 'offset'), ['offset', String(to)]])}`,
        'data-testid': to > offset ? 'next-page' : 'previous-page',
      },
      to > offset ? 'Next' : 'Previous',
    );
  const browseQuery = [...params].filter(([k]) => k !== 'offset' && k !== 'sort').length
    ? new URLSearchParams([...params].filter(([k]) => k !== 'offset' && k !== 'sort')).toString()
    : '';
  return h(
    'div',
    { class: 'catalogue', 'data-testid': 'catalogue' },
    h('h2', {}, 'Dataset catalogue'),
    searchForm,
    h(
      'div',
      { class: 'catalogue-body' },
      panel,
      h(
        'section',
        { class: 'catalogue-results', 'aria-live': 'polite' },
        h(
          'p',
          { class: 'toolbar' },
          h(
            'span',
            { 'data-testid': 'catalogue-total' },
            `${result.totalCapped ? 'More than ' : ''}${result.total.toLocaleString('en')} datasets`,
          ),
          sortSelect,
        ),
        result.items.length
          ? h('ul', { class: 'dataset-list' }, ...result.items.map((d) => datasetCard(d, browseQuery)))
          : h('p', { class: 'muted', 'data-testid': 'catalogue-empty' }, 'No published dataset matches.'),
        h(
          'p',
          { class: 'pager' },
          offset > 0 ? page(Math.max(0, offset - PAGE_SIZE)) : null,
          ' ',
          offset + PAGE_SIZE < result.total || result.totalCapped ? page(offset + PAGE_SIZE) : null,
          ` ${result.total ? offset + 1 : 0}-${Math.min(offset + PAGE_SIZE, result.total)} of ${result.total}`,
        ),
      ),
    ),
  );
}
