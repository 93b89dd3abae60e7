import { type HubClient, type Me, okJson } from '../api.ts';
import { type CartItem, onCartChange, readCart } from '../cart.ts';
import { h, replace } from '../dom.ts';

export type HeaderState = { kind: 'anonymous'; onLogIn(): void } | { kind: 'user'; me: Me; client: HubClient; onLogOut(): void };

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
  const badge = h(
    'a',
    { href: '/cart', class: 'cart', 'data-testid': 'cart-count', 'data-count': String(readCart().length) },
    text(readCart()),
  );
  stopCart?.();
  stopCart = onCartChange((items) => {
    badge.textContent = text(items);
    badge.dataset.count = String(items.length);
  });
  return badge;
}

/**
 * Unread notices for the logged-in user. The header is redrawn on every in-app navigation, but the
 * count is asked for once per page load (and per login), and again only after the user reads one.
 */
let unread: { sub: string; client: HubClient; count: Promise<number | null> } | undefined;
let unreadBadge: HTMLElement | undefined;

async function countUnread(client: HubClient): Promise<number | null> {
  try {
    return (await okJson(await client.api.v1.me.notifications.$get({ query: { unread: 'true' } }))).unread;
  } catch {
    // The badge is a convenience: a failure leaves it without a number rather than breaking the page.
    return null;
  }
}

function drawUnread(badge: HTMLElement, n: number | null): void {
  badge.dataset.count = n === null ? '' : String(n);
  badge.setAttribute('aria-label', n ? `Notifications: ${n} unread` : 'Notifications');
  badge.replaceChildren('Notifications', n ? h('span', { class: 'count' }, String(n)) : '');
}

function notificationsBadge(me: Me, client: HubClient): HTMLElement {
  if (unread?.sub !== me.sub) unread = { sub: me.sub, client, count: countUnread(client) };
  const badge = h('a', { href: '/notifications', class: 'notifications-badge', 'data-testid': 'unread-count' });
  unreadBadge = badge;
  const asked = unread.count;
  void asked.then((n) => {
    if (unread?.count === asked) drawUnread(badge, n);
  });
  return badge;
}

/** Asks for the unread count again (one call) and redraws the badge: call after marking notices read. */
export function refreshUnreadNotifications(): void {
  if (!unread) return;
  const asked = countUnread(unread.client);
  unread = { ...unread, count: asked };
  const badge = unreadBadge;
  void asked.then((n) => {
    if (badge && unread?.count === asked) drawUnread(badge, n);
  });
}

/** The account corner of the header: a login button, or who is logged in and in which roles. */
export function renderHeader(el: HTMLElement, state: HeaderState): void {
  if (state.kind === 'anonymous') {
    unread = undefined;
    // Anyone may collect datasets from the public catalogue; asking for them needs a login.
    replace(
      el,
      cartBadge(),
      h('button', { type: 'button', class: 'primary', 'data-testid': 'log-in', onclick: () => state.onLogIn() }, 'Log in'),
    );
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
    notificationsBadge(me, state.client),
    cartBadge(),
    h('button', { type: 'button', 'data-testid': 'log-out', onclick: () => state.onLogOut() }, 'Log out'),
  );
}
