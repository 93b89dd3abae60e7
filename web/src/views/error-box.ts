import { ApiError } from '../api.ts';
import { h } from '../dom.ts';

/**
 * An error as a person can act on it: what went wrong, and for hub refusals the request id to quote
 * to the helpdesk (it finds the matching log line).
 */
export function errorBox(err: unknown, context: string): HTMLElement {
  const message = err instanceof Error ? err.message : String(err);
  const api = err instanceof ApiError ? err : undefined;
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-testid': 'error' },
    h('p', {}, h('strong', {}, context + ': '), message, api ? ` (${api.code})` : ''),
    api?.details.length
      ? h('ul', { 'data-testid': 'error-details' }, ...api.details.map((d) => h('li', {}, h('code', {}, d.path), ': ', d.message)))
      : null,
    api?.requestId ? h('p', { class: 'muted' }, 'Request id: ', h('code', { 'data-testid': 'request-id' }, api.requestId)) : null,
  );
}
