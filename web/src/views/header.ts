import type { Me } from '../api.ts';
import { type CartItem, onCartChange, readCart } from '../cart.ts';
import { h, replace } from '../dom.ts';

export type HeaderState =
  | { kind: 'anonymous'; onLogIn(): void }
  | { kind: 'user'; me: Me; onLogOut(): void };

const roleLabels: Record<string, string> = {
  authenticated: 'signed in',
  member: 'member',
  dataset_representative: 'dataset representative',
  node_admin: 'node admin',
  platform_admin: 'platform admin',
};

let stopCart: (() => void) | undefined;

/** The access-request cart as a count; the negotiation pages will open it. */
function cartBadge(): HTMLElement {
  const text = (items: CartItem[]) => `Request: ${items.length} dataset${items.length === 1 ? '' : 's'}`;
  const badge = h('a', { href: '/cart', class: 'cart', 'data-testid': 'cart-count', 'data-count': String(readCart().length) }, text(readCart()));
  stopCart?.();
  stopCart = onCartChange((items) => {
    badge.textContent = text(items);
    badge.dataset.count = String(items.length);
  });
  return badge;
}

/** The account corner of the header: a login button, or who is logged in and in which roles. */
export function renderHeader(el: HTMLElement, state: HeaderState): void {
  if (state.kind === 'anonymous') {
    // Anyone may collect datasets from the public catalogue; asking for them needs a login.
    replace(el, cartBadge(), h('button', { type: 'button', class: 'primary', 'data-testid': 'log-in', onclick: () => state.onLogIn() }, 'Log in'));
    return;
  }
  const { me } = state;
  replace(
    el,
    h(
      'span',
      { class: 'who' },
      h('span', { 'data-testid': 'user-name' }, me.name ?? me.sub),
      h(
        'ul',
        { class: 'roles', 'aria-label': 'Your roles', 'data-testid': 'user-roles' },
        ...me.roles.map((r) => h('li', { class: 'role' }, roleLabels[r] ?? r)),
      ),
    ),
    cartBadge(),
    h('button', { type: 'button', 'data-testid': 'log-out', onclick: () => state.onLogOut() }, 'Log out'),
  );
}
