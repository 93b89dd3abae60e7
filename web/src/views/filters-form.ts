import type { Catalogue, CatalogueFilter } from '../api.ts';
import { h } from '../dom.ts';
import type { Criterion } from '../query.ts';

export interface FilterControls {
  element: HTMLElement;
  criteria(): Criterion[];
}

const controlId = (key: string, part = '') => `filter-${key}${part}`;

function numberOrUndefined(input: HTMLInputElement): number | undefined {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

/** One filter: a multi-select of its codes, a min/max pair for numbers, or a text field. */
function filterControl(f: CatalogueFilter): { element: HTMLElement; read(): Criterion | undefined } {
  const unit = f.unit ? ` (${f.unit})` : '';
  if (f.valueType === 'code') {
    const select = h(
      'select',
      { id: controlId(f.key), multiple: true, size: String(Math.min(f.values?.length ?? 2, 5)), 'data-filter-key': f.key },
      // A code that is another name of one listed (`sameAs`) is offered once, under its first name.
      ...(f.values ?? []).filter((v) => !v.sameAs).map((v) => h('option', { value: v.code }, v.label)),
    );
    return {
      element: h('div', { class: 'filter' }, h('label', { for: controlId(f.key), title: f.note }, f.label), select),
      read: () => ({ key: f.key, kind: 'values', values: [...select.selectedOptions].map((o) => o.value) }),
    };
  }
  if (f.valueType === 'number') {
    const bound = (part: 'min' | 'max', text: string) =>
      h('input', {
        type: 'number',
        id: controlId(f.key, `-${part}`),
        min: f.min?.toString(),
        max: f.max?.toString(),
        step: 'any',
        placeholder: text,
        'aria-label': `${f.label} ${text}`,
      });
    const min = bound('min', 'from');
    const max = bound('max', 'to');
    return {
      element: h(
        'div',
        { class: 'filter' },
        h('span', { class: 'filter-label' }, `${f.label}${unit}`),
        h('span', { class: 'range' }, min, '–', max),
      ),
      read: () => ({ key: f.key, kind: 'range', min: numberOrUndefined(min), max: numberOrUndefined(max) }),
    };
  }
  const text = h('input', { type: 'text', id: controlId(f.key), maxlength: '100' });
  return {
    element: h('div', { class: 'filter' }, h('label', { for: controlId(f.key) }, f.label), text),
    read: () => ({ key: f.key, kind: 'values', values: text.value.trim() ? [text.value.trim()] : [] }),
  };
}

/**
 * Every filter of the catalogue as form controls, in the catalogue's groups (the EUCAIM explorer's
 * panels); the EUCAIM filters open, the hyper-ontology extras folded away.
 */
export function filterControls(catalogue: Catalogue): FilterControls {
  const controls = catalogue.filters.map((f) => ({ f, ...filterControl(f) }));
  const groups = [...new Set(catalogue.filters.map((f) => f.group))];
  const panel = (title: string) =>
    h('fieldset', { class: 'panel' }, h('legend', {}, title), ...controls.filter((c) => c.f.group === title).map((c) => c.element));
  const extra = (title: string) => controls.some((c) => c.f.group === title && c.f.source !== 'eucaim');
  const extras = groups.filter(extra);
  const element = h(
    'div',
    { class: 'filters' },
    h(
      'p',
      { class: 'muted hint wide' },
      'Choose several values of one filter with Ctrl (⌘ on a Mac); a node must match every filter you set.',
    ),
    ...groups.filter((g) => !extra(g)).map(panel),
    extras.length ? h('details', { class: 'more' }, h('summary', {}, 'More clinical filters'), ...extras.map(panel)) : null,
  );
  return { element, criteria: () => controls.flatMap((c) => c.read() ?? []) };
}
