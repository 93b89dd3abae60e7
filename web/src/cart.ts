// The access-request cart: datasets a researcher wants to ask for, kept in localStorage so it
// survives reloads and logins. The negotiation pages will read the same key.

export const CART_KEY = 'eucaim.access-request-cart';
const CHANGED = 'eucaim-cart-changed';

export interface CartItem {
  datasetId: string;
  name: string;
  /** The node holding the data; empty for a catalogue dataset that no node serves (yet). */
  nodeId: string;
  /** The federated search that found it, so the request can cite the report. */
  searchId?: string;
  /** Where it was added, and the catalogue query (`q=…&modality=…`) when it came from a catalogue search. */
  from?: 'explorer' | 'catalogue';
  catalogueQuery?: string;
}

export function readCart(): CartItem[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((i): i is CartItem => typeof i?.datasetId === 'string' && typeof i?.nodeId === 'string') : [];
  } catch {
    // A corrupt entry must not break the page; it is replaced at the next add.
    return [];
  }
}

export function inCart(datasetId: string, nodeId: string): boolean {
  return readCart().some((i) => i.datasetId === datasetId && i.nodeId === nodeId);
}

/** Adds a dataset once; answers false when it was already there. */
export function addToCart(item: CartItem): boolean {
  const cart = readCart();
  if (cart.some((i) => i.datasetId === item.datasetId && i.nodeId === item.nodeId)) return false;
  save([...cart, item]);
  return true;
}

function save(items: CartItem[]): void {
  localStorage.setItem(CART_KEY, JSON.stringify(items));
  window.dispatchEvent(new Event(CHANGED));
}

export function removeFromCart(datasetId: string, nodeId: string): void {
  save(readCart().filter((i) => !(i.datasetId === datasetId && i.nodeId === nodeId)));
}

export function clearCart(): void {
  save([]);
}

/** Calls back on every change, from this tab or another one; returns the unsubscribe. */
export function onCartChange(cb: (items: CartItem[]) => void): () => void {
  const local = () => cb(readCart());
  const other = (e: StorageEvent) => {
    if (e.key === CART_KEY) cb(readCart());
  };
  window.addEventListener(CHANGED, local);
  window.addEventListener('storage', other);
  return () => {
    window.removeEventListener(CHANGED, local);
    window.removeEventListener('storage', other);
  };
}
