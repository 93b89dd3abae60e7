// `/cart`: the datasets collected from the catalogue and the explorer, with the search each came
// from, ready to be sent as one access request once the negotiation service takes them.
import { type CartItem, clearCart, onCartChange, readCart, removeFromCart } from '../cart.ts';
import { h, replace } from '../dom.ts';

function origin(item: CartItem): Node | string {
  if (item.searchId) return `federated search ${item.searchId}`;
  if (item.catalogueQuery) return h('a', { href: `/catalogue?${item.catalogueQuery}` }, `catalogue search ${decodeURIComponent(item.catalogueQuery.replaceAll('+', ' '))}`);
  return item.from === 'catalogue' ? 'the catalogue' : '—';
}

function table(items: CartItem[]): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', 'data-testid': 'cart-empty' }, 'Nothing yet: add datasets from the catalogue or from a federated search.');
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
          h('td', {}, h('button', { type: 'button', class: 'small', 'data-testid': 'cart-remove', onclick: () => removeFromCart(i.datasetId, i.nodeId) }, 'Remove')),
        ),
      ),
    ),
  );
}

export function cartPage(): Node {
  const body = h('div', {});
  const draw = () => {
    const items = readCart();
    replace(
      body,
      table(items),
      h(
        'p',
        { class: 'actions' },
        // The negotiation service takes the cart when it lands; until then the button says so.
        h('button', { type: 'button', class: 'primary', disabled: true, 'data-testid': 'request-access', title: 'Access requests open with the negotiation service' }, 'Request access'),
        ' ',
        items.length ? h('button', { type: 'button', 'data-testid': 'cart-clear', onclick: () => clearCart() }, 'Empty the list') : null,
      ),
      h('p', { class: 'muted hint' }, 'Sending the request opens with the access negotiation service; the list is kept in this browser until then.'),
    );
  };
  draw();
  const off = onCartChange(() => (body.isConnected ? draw() : off()));
  return h('section', { class: 'card', 'data-testid': 'cart-page' }, h('h2', {}, 'Datasets to request'), body);
}
