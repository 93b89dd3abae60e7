// "Add to request" for a catalogue dataset: the same cart the explorer fills.
import { addToCart, type CartItem, inCart } from '../cart.ts';
import { h } from '../dom.ts';

export function cartToggle(item: CartItem): HTMLButtonElement {
  const added = inCart(item.datasetId, item.nodeId);
  const button = h(
    'button',
    { type: 'button', class: 'small', 'data-testid': 'add-to-cart', disabled: added },
    added ? 'In request' : 'Add to request',
  );
  button.addEventListener('click', () => {
    addToCart(item);
    button.disabled = true;
    button.textContent = 'In request';
  });
  return button;
}
