// The registration form's fields: where each sits in the registration body, how it is entered and
// read back. The form validates what these produce with the hub's own schema.
import * as V from '../../../shared/catalogue/vocabularies.ts';
import { h } from '../dom.ts';

export type FieldKind = 'text' | 'textarea' | 'number' | 'list' | 'bool' | 'one' | 'many';
export interface Field {
  /** Path in the registration body, like `metadata.publisher.name`; the hub's 422 paths use the same. */
  path: string;
  label: string;
  kind: FieldKind;
  vocabulary?: V.Vocabulary;
  hint?: string;
}

const m = (path: string, label: string, kind: FieldKind, vocabulary?: V.Vocabulary, hint?: string): Field => ({
  path: `metadata.${path}`,
  label,
  kind,
  vocabulary,
  hint,
});

export const FIELD_GROUPS: { title: string; fields: Field[] }[] = [
  {
    title: 'Description',
    fields: [
      m('title', 'Title', 'text'),
      m('description', 'Description', 'textarea'),
      m('keywords', 'Keywords', 'list', undefined, 'separated by commas'),
      m('version', 'Version', 'text'),
      m('provenance', 'Provenance', 'textarea'),
    ],
  },
  {
    title: 'Content',
    fields: [
      m('condition', 'Condition', 'one', V.CONDITIONS),
      m('subjects', 'Subjects', 'number'),
      m('studies', 'Imaging studies', 'number'),
      m('modalities', 'Modalities', 'many', V.MODALITIES),
      m('bodyParts', 'Body parts', 'many', V.BODY_PARTS),
      m('manufacturers', 'Manufacturers', 'many', V.MANUFACTURERS),
      m('birthSex', 'Birth sex', 'many', V.BIRTH_SEXES),
      m('collectionMethod', 'Collection method', 'many', V.COLLECTION_METHODS),
      m('healthCategory', 'Health categories', 'many', V.HEALTH_CATEGORIES),
      m('hasStructuredData', 'Has structured (clinical) data', 'bool'),
      m('variables', 'Variables (CSVW table groups)', 'list', undefined, 'URLs, separated by commas; required with structured data'),
    ],
  },
  {
    title: 'Classification',
    fields: [
      m('seriesId', 'Imaging biobank (series)', 'one'),
      m('tier', 'Tier', 'one', V.TIERS),
      m('type', 'Type', 'many', V.DATASET_TYPES),
      m('accessRights', 'Access rights', 'one', V.ACCESS_RIGHTS),
      m('applicableLegislation', 'Applicable legislation', 'many', V.LEGISLATION),
      m('hdab.name', 'Health data access body', 'text', undefined, 'leave empty while none is designated'),
      m('hdab.email', 'Health data access body e-mail', 'text'),
    ],
  },
  {
    title: 'Publisher, contact and access',
    fields: [
      m('publisher.name', 'Publisher', 'text'),
      m('publisher.email', 'Publisher e-mail', 'text'),
      m('publisher.url', 'Publisher contact page', 'text', undefined, 'an e-mail address or a contact page'),
      m('contactPoint.email', 'Contact e-mail', 'text'),
      m('contactPoint.url', 'Contact web page', 'text'),
      m('distributions[0].accessCondition', 'Access condition', 'one', V.ACCESS_CONDITIONS),
      m('distributions[0].accessUrl', 'Access URL', 'text', undefined, 'where access is requested (the negotiation service)'),
      m('distributions[0].applicableLegislation', 'Legislation for the distribution', 'many', V.LEGISLATION),
      m('distributions[0].license', 'Licence URL', 'text'),
      m('distributions[0].mediaType', 'Media type', 'text', undefined, 'IANA media type of the data; DICOM images are application/dicom'),
    ],
  },
];

const steps = (path: string) =>
  path
    .split(/\.|\[(\d+)\]/)
    .filter((s) => s !== undefined && s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

export function getPath(obj: unknown, path: string): unknown {
  return steps(path).reduce<unknown>((o, k) => (o == null ? undefined : (o as Record<string | number, unknown>)[k]), obj);
}

/** Sets a value, creating objects and arrays on the way; `undefined` removes the field. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = steps(path);
  let o: Record<string | number, unknown> = obj;
  keys.slice(0, -1).forEach((k, i) => {
    o[k] ??= typeof keys[i + 1] === 'number' ? [] : {};
    o = o[k] as Record<string | number, unknown>;
  });
  const last = keys[keys.length - 1] as string | number;
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** The input for a field, filled from `value`; `read()` gives what the body should hold (undefined when empty). */
export function fieldInput(
  field: Field,
  value: unknown,
  options: V.Vocabulary = field.vocabulary ?? [],
): { el: HTMLElement; read(): unknown } {
  const id = `f-${field.path.replace(/\W+/g, '-')}`;
  if (field.kind === 'many') {
    const boxes = options.map((t) =>
      h('input', { type: 'checkbox', value: t.code, checked: Array.isArray(value) && value.includes(t.code) }),
    );
    const el = h(
      'fieldset',
      { class: 'choices', id, 'data-field': field.path },
      ...boxes.map((b, i) => h('label', { class: 'choice' }, b, options[i]?.label ?? '')),
    );
    return { el, read: () => boxes.filter((b) => b.checked).map((b) => b.value) };
  }
  if (field.kind === 'one') {
    const select = h(
      'select',
      { id, 'data-field': field.path },
      h('option', { value: '' }, '— choose —'),
      ...options.map((t) => h('option', { value: t.code, selected: t.code === value }, t.label)),
    );
    return { el: select, read: () => select.value || undefined };
  }
  if (field.kind === 'bool') {
    const box = h('input', { type: 'checkbox', id, 'data-field': field.path, checked: value === true });
    return { el: box, read: () => box.checked };
  }
  const text =
    field.kind === 'list' && Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
  const input =
    field.kind === 'textarea'
      ? h('textarea', { id, rows: '4', 'data-field': field.path }, text)
      : h('input', { id, type: field.kind === 'number' ? 'number' : 'text', value: text, 'data-field': field.path });
  return {
    el: input,
    read: () => {
      const v = (input as HTMLInputElement).value.trim();
      if (v === '') return undefined;
      if (field.kind === 'number') return Number(v);
      if (field.kind === 'list')
        return v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      return v;
    },
  };
}
