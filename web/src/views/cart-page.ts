// `/cart`: the datasets collected from the catalogue and the explorer, with the search each came
// from, sent as one access request: the hub creates the negotiation, the cart empties, and the
// researcher lands on the new request's form. Non-members are told why they cannot send it.
import type { HubClient, Me } from '../api.ts';
import { okJson } from '../api.ts';
import { accessRequestFor, type CartItem, clearCart, onCartChange, readCart, removeFromCart, unrequestable } from '../cart.ts';
import { h, replace } from '../dom.ts';
import { enrolView } from './enrol.ts';
import { errorBox } from './error-box.ts';

function origin(item: CartItem): Node | string {
  if (item.searchId) return `federated search ${item.searchId}`;
  if (item.catalogueQuery)
    return h(
      'a',
      { href: `/catalogue?${item.catalogueQuery}` },
      `catalogue search ${decodeURIComponent(item.catalogueQuery.replaceAll('+', ' '))}`,
    );
  return item.from === 'catalogue' ? 'the catalogue' : '—';
}

function table(items: CartItem[]): HTMLElement {
  if (!items.length)
    return h(
      'p',
      { class: 'muted', 'data-testid': 'cart-empty' },
      'Nothing yet: add datasets from the catalogue or from a federated search.',
    );
  return h(
    'table',
    { 'data-testid': 'cart-items' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Dataset'), h('th', {}, 'Node'), h('th', {}, 'Found by'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      ...items.map((i) =>
        h(
          'tr',
          { 'data-testid': `cart-item-${i.datasetId}` },
          h('td', {}, h('a', { href: `/catalogue/datasets/${encodeURIComponent(i.datasetId)}` }, i.name)),
          h('td', {}, i.nodeId || '—'),
          h('td', { 'data-testid': 'cart-origin' }, origin(i)),
          h(
            'td',
            {},
            h(
              'button',
              { type: 'button', class: 'small', 'data-testid': 'cart-remove', onclick: () => removeFromCart(i.datasetId, i.nodeId) },
              'Remove',
            ),
          ),
        ),
      ),
    ),
  );
}

export interface CartContext {
  client: HubClient;
  me: Me | null;
  logIn(): void;
  navigate(to: string): void;
}

/** Why this visitor cannot send the cart, or null when they can. */
function blocker(ctx: CartContext): HTMLElement | null {
  if (!ctx.me)
    return h(
      'p',
      { 'data-testid': 'request-needs-login' },
      'Log in to send the request. ',
      h('button', { type: 'button', onclick: () => ctx.logIn() }, 'Log in'),
    );
  if (!ctx.me.member && !ctx.me.roles.includes('platform_admin'))
    return ctx.me.enrol
      ? enrolView(ctx.me.enrol)
      : h('p', { 'data-testid': 'enrol' }, 'Access requests are for members of the EUCAIM group.');
  return null;
}

export function cartPage(ctx: CartContext): Node {
  const body = h('div', {});
  const send = async (button: HTMLButtonElement, items: CartItem[]) => {
    button.disabled = true;
    try {
      const created = await okJson(await ctx.client.api.v1.negotiations.$post({ json: accessRequestFor(items) }));
      // Only once the negotiation exists: a refused request keeps the cart as it was.
      clearCart();
      ctx.navigate(`/negotiations/${created.id}`);
    } catch (err) {
      button.disabled = false;
      body.prepend(errorBox(err, 'The request could not be sent'));
    }
  };
  const draw = () => {
    const items = readCart();
    const blocked = items.length ? blocker(ctx) : null;
    const foreign = unrequestable(items);
    const button = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'request-access',
        disabled: !items.length || Boolean(blocked) || foreign.length > 0,
      },
      'Request access',
    );
    button.addEventListener('click', () => void send(button, items));
    replace(
      body,
      table(items),
      h(
        'p',
        { class: 'actions' },
        button,
        ' ',
        items.length ? h('button', { type: 'button', 'data-testid': 'cart-clear', onclick: () => clearCart() }, 'Empty the list') : null,
      ),
      foreign.length
        ? h(
            'p',
            { class: 'field-error', 'data-testid': 'cart-unrequestable' },
            `Not in the catalogue, so it cannot be requested: ${foreign.map((i) => i.name).join(', ')}. Remove it to send the rest.`,
          )
        : null,
      blocked,
      h(
        'p',
        { class: 'muted hint' },
        'Sending starts one access request for every dataset listed, with the searches they came from; you then fill in the application.',
      ),
    );
  };
  draw();
  const off = onCartChange(() => (body.isConnected ? draw() : off()));
  return h('section', { class: 'card', 'data-testid': 'cart-page' }, h('h2', {}, 'Datasets to request'), body);
}
