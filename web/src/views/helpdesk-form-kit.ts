// Small helpers shared by the helpdesk and join forms: labelled fields, reading a form, and the
// answer after a ticket was opened (sent at once, or queued while the helpdesk is down).
import { h } from '../dom.ts';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'url' | 'email' | 'tel' | 'date';
  required?: boolean;
  maxLength?: number;
  hint?: string;
  value?: string;
}

export function formField(prefix: string, f: FieldSpec): HTMLElement {
  const id = `${prefix}-${f.name}`;
  const common = {
    id,
    name: f.name,
    required: f.required ?? false,
    maxlength: f.maxLength ? String(f.maxLength) : undefined,
    'data-testid': id,
  };
  const input = f.type === 'textarea' ? h('textarea', { ...common, rows: '6' }) : h('input', { ...common, type: f.type ?? 'text' });
  // As the default value, so resetting the form after a submission puts it back.
  if (f.value) input.setAttribute('value', f.value);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, class: f.required ? 'is-required' : undefined }, f.label),
    input,
    f.hint ? h('p', { class: 'muted small' }, f.hint) : null,
  );
}

/** The form's text fields, trimmed; empty optional fields are left out rather than sent empty. */
export function readForm(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

/** What the user is told once the hub has the request. */
export function ticketOpened(r: { id: string; delivery: 'queued' | 'sent' }): HTMLElement {
  return h(
    'div',
    { class: 'card', role: 'status', 'data-testid': 'ticket-opened', 'data-delivery': r.delivery },
    r.delivery === 'sent'
      ? h('p', {}, 'Your ticket is open. The support team answers there, and you will get a notification here.')
      : h(
          'p',
          { 'data-testid': 'ticket-queued' },
          'The helpdesk cannot be reached right now. Your request is saved and will be sent automatically; you can follow it already.',
        ),
    h('p', {}, h('a', { href: `/helpdesk/tickets/${r.id}`, 'data-testid': 'open-ticket-link' }, 'Follow this ticket')),
  );
}

/** Runs a submit handler with the button disabled, showing its result or error in `out`. */
export function onSubmit(
  form: HTMLFormElement,
  out: HTMLElement,
  run: (values: Record<string, string>) => Promise<Node>,
  onError: (err: unknown) => Node,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button) button.disabled = true;
    run(readForm(form))
      .then((node) => {
        out.replaceChildren(node);
        form.reset();
      })
      .catch((err) => out.replaceChildren(onError(err)))
      .finally(() => {
        if (button) button.disabled = false;
      });
  });
}
