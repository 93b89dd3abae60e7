// One control per kind of form element. Every control reports its value through `set` in the shape
// the shared validator expects (text, number, YYYY-MM-DD, choice values, true), so what the web form
// checks is exactly what the hub will check.
import { countWords, type FormElement } from '../../../shared/negotiation/form-template.ts';
import type { CartItem } from '../cart.ts';
import { h } from '../dom.ts';

export interface FieldContext {
  value: unknown;
  set(value: unknown): void;
  /** The datasets the request is for, shown by the request summary. */
  datasets: CartItem[];
  /** Files attached to the stored request; absent in the preview, where nothing can be attached yet. */
  attachments?: { id: string; name: string; contentType: string }[];
}

const errorId = (el: FormElement) => `err-${el.id}`;

/** The asterisk comes from CSS (`.is-required`), so it stays out of the label's text and accessible name. */
function requiredClass(el: FormElement): string | undefined {
  return 'required' in el && el.required ? 'is-required' : undefined;
}

function choiceList(el: Extract<FormElement, { type: 'single_choice' | 'multi_choice' }>, ctx: FieldContext): HTMLElement {
  const multi = el.type === 'multi_choice';
  const chosen = new Set(
    multi ? (Array.isArray(ctx.value) ? (ctx.value as string[]) : []) : typeof ctx.value === 'string' ? [ctx.value] : [],
  );
  return h(
    'fieldset',
    { class: 'choices', 'aria-describedby': errorId(el) },
    h('legend', { class: requiredClass(el) }, el.label),
    ...el.choices.map((c) =>
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: multi ? 'checkbox' : 'radio',
          name: el.id,
          value: c.value,
          checked: chosen.has(c.value),
          onchange: (ev) => {
            const input = ev.target as HTMLInputElement;
            if (!multi) return ctx.set(input.value);
            if (input.checked) chosen.add(c.value);
            else chosen.delete(c.value);
            // In the order offered, whatever the order of clicks.
            ctx.set(el.choices.filter((x) => chosen.has(x.value)).map((x) => x.value));
          },
        }),
        c.label,
      ),
    ),
  );
}

function labelled(el: FormElement, control: HTMLElement, ...after: (HTMLElement | null)[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: `f-${el.id}`, class: requiredClass(el) }, el.label), control, ...after);
}

function control(el: FormElement, ctx: FieldContext): HTMLElement {
  const text = typeof ctx.value === 'string' ? ctx.value : '';
  const common = {
    id: `f-${el.id}`,
    name: el.id,
    'aria-describedby': errorId(el),
    'aria-required': requiredClass(el) ? 'true' : undefined,
  };
  switch (el.type) {
    case 'request_summary':
      return h(
        'div',
        { class: 'field', 'data-testid': 'request-summary' },
        h('h3', {}, el.label),
        ctx.datasets.length
          ? h('ul', {}, ...ctx.datasets.map((d) => h('li', {}, d.name || d.datasetId, h('span', { class: 'muted' }, ` (${d.nodeId})`))))
          : h('p', { class: 'muted' }, 'No datasets selected yet: add them from the search results.'),
      );
    case 'information':
      return h('div', { class: 'field' }, h('h3', {}, el.label), h('p', {}, el.text));
    case 'text':
      return labelled(
        el,
        h('input', {
          ...common,
          type: el.format === 'phone' ? 'tel' : 'text',
          value: text,
          oninput: (ev) => ctx.set((ev.target as HTMLInputElement).value),
        }),
      );
    case 'textarea': {
      const counter = h('p', { class: 'counter muted', 'data-testid': `words-${el.id}`, 'aria-live': 'polite' });
      const count = (v: string) => {
        const n = countWords(v);
        counter.textContent = `${n} / ${el.maxWords} words`;
        counter.classList.toggle('over', n > el.maxWords);
      };
      count(text);
      const area = h('textarea', { ...common, rows: '8' });
      area.value = text;
      area.addEventListener('input', () => {
        count(area.value);
        ctx.set(area.value);
      });
      return labelled(el, area, counter);
    }
    case 'number':
      return labelled(
        el,
        h('input', {
          ...common,
          type: 'number',
          value: typeof ctx.value === 'number' ? String(ctx.value) : '',
          oninput: (ev) => {
            const raw = (ev.target as HTMLInputElement).value;
            ctx.set(raw === '' ? undefined : Number(raw));
          },
        }),
        el.unit ? h('span', { class: 'muted' }, ` ${el.unit}`) : null,
      );
    case 'date':
      return labelled(
        el,
        h('input', { ...common, type: 'date', value: text, oninput: (ev) => ctx.set((ev.target as HTMLInputElement).value || undefined) }),
      );
    case 'single_choice':
    case 'multi_choice':
      return choiceList(el, ctx);
    case 'confirmation':
      return h(
        'div',
        { class: 'field' },
        h('p', { class: ['field-title', requiredClass(el)].filter(Boolean).join(' ') }, el.label),
        h(
          'label',
          { class: 'choice confirm' },
          h('input', {
            ...common,
            type: 'checkbox',
            checked: ctx.value === true,
            onchange: (ev) => ctx.set((ev.target as HTMLInputElement).checked || undefined),
          }),
          el.statement,
        ),
      );
    case 'attachment': {
      // Uploads need a negotiation to belong to; until it exists the form says so instead of pretending.
      if (!ctx.attachments)
        return h(
          'div',
          { class: 'field' },
          h('p', { class: 'field-title' }, el.label),
          h('p', { class: 'muted' }, `Attach it (${el.accept.join(', ')}) once the request is created.`),
        );
      const fitting = ctx.attachments.filter((a) => el.accept.includes(a.contentType));
      const select = h(
        'select',
        { ...common, onchange: (ev) => ctx.set((ev.target as HTMLSelectElement).value || undefined) },
        h(
          'option',
          { value: '' },
          fitting.length ? '— choose an attached file —' : `— attach a file (${el.accept.join(', ')}) under Attachments first —`,
        ),
        ...fitting.map((a) => h('option', { value: a.id, selected: ctx.value === a.id }, a.name)),
      );
      return labelled(el, select);
    }
  }
}

/** The element's control with its help text and an (empty) slot for its error. */
export function formField(el: FormElement, ctx: FieldContext): HTMLElement {
  const field = control(el, ctx);
  field.dataset.field = el.id;
  if ('help' in el && el.help) field.append(h('p', { class: 'hint muted' }, el.help));
  field.append(h('p', { class: 'field-error', id: errorId(el), 'data-testid': `error-${el.id}`, role: 'alert' }));
  return field;
}

/** Shows `message` under the field (or clears it) and marks the control invalid for assistive tech. */
export function showFieldError(form: HTMLElement, id: string, message: string | undefined): void {
  const slot = form.querySelector(`#err-${CSS.escape(id)}`);
  if (slot) slot.textContent = message ?? '';
  const input = form.querySelector(`#f-${CSS.escape(id)}`);
  if (message) input?.setAttribute('aria-invalid', 'true');
  else input?.removeAttribute('aria-invalid');
}
