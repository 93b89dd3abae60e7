// The catalogue's filter panel: every filter with its facet counts, values as checkboxes. Several
// values of one filter are alternatives (OR); filters combine with AND, as the hub applies them.
import { BROWSE_FILTERS, type BrowseFilter } from '../../../shared/catalogue/registration.ts';
import { h } from '../dom.ts';
import type { BrowseResult } from './catalogue-types.ts';

export const FILTER_LABELS: Record<BrowseFilter, string> = {
  condition: 'Condition',
  bodyPart: 'Body part',
  modality: 'Modality',
  manufacturer: 'Manufacturer',
  publisher: 'Provider',
  accessCondition: 'Access condition',
  tier: 'Tier',
  series: 'Imaging biobank',
};

/** The panel; `onToggle` gets the filter, the value and whether it is now selected. */
export function filterPanel(
  facets: NonNullable<BrowseResult['facets']>,
  selected: URLSearchParams,
  onToggle: (filter: BrowseFilter, value: string, on: boolean) => void,
): HTMLElement {
  const groups = BROWSE_FILTERS.map((filter) => {
    const chosen = selected.getAll(filter);
    // A selected value the current matches no longer contain still shows, so it can be unticked.
    const values = [...facets[filter]];
    for (const v of chosen) if (!values.some((f) => f.value === v)) values.push({ value: v, label: v, count: 0 });
    if (values.length === 0) return null;
    return h(
      'fieldset',
      { class: 'facet', 'data-testid': `facet-${filter}` },
      h('legend', {}, FILTER_LABELS[filter]),
      ...values.map((f) => {
        const box = h('input', {
          type: 'checkbox',
          value: f.value,
          checked: chosen.includes(f.value),
          'data-testid': `facet-${filter}-${f.value}`,
        });
        box.addEventListener('change', () => onToggle(filter, f.value, box.checked));
        return h(
          'label',
          { class: 'facet-value' },
          box,
          h('span', {}, f.label),
          h('span', { class: 'count', 'data-testid': 'facet-count' }, String(f.count)),
        );
      }),
    );
  });
  return h('aside', { class: 'filters', 'aria-label': 'Filters', 'data-testid': 'catalogue-filters' }, ...groups);
}
