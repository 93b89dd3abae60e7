import type { Me } from '../api.ts';
import { h } from '../dom.ts';

/** What a logged-in non-member sees instead of the search: how to become a member. */
export function enrolView(enrol: NonNullable<Me['enrol']>): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'enrol-title', 'data-testid': 'enrol' },
    h('h2', { id: 'enrol-title' }, 'Membership needed'),
    h('p', { 'data-testid': 'enrol-instructions' }, enrol.instructions),
    h(
      'p',
      {},
      h('a', { href: enrol.url, rel: 'noopener', 'data-testid': 'enrol-link', class: 'button primary' }, 'Request EUCAIM membership'),
    ),
  );
}

/** What a visitor sees before logging in. */
export function welcomeView(): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'welcome' },
    h('h2', {}, 'Count subjects across the federation'),
    h('p', {}, 'Log in with your LS-AAI identity to ask every EUCAIM node how many subjects and studies match your criteria.'),
  );
}
