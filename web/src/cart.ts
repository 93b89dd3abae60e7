// The access-request cart: datasets a researcher wants to ask for, kept in localStorage so it
// survives reloads and logins. Entries written before a field existed stay valid: every field but
// `datasetId` and `nodeId` is optional.
import type { QueryBranch } from '../../shared/query.ts';

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
  /** The federated search's query tree when it came from the explorer: the access request carries it. */
  query?: QueryBranch;
}

export function readCart(): CartItem[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((i): i is CartItem => typeof i?.datasetId === 'string' && typeof i?.nodeId === 'string')
      : [];
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The body of `POST /api/v1/negotiations` for the cart: each dataset once (the same dataset may be
 * in the cart from two nodes), the searches in words, and the explorer's query when there is one.
 */
export function accessRequestFor(items: readonly CartItem[]): { resources: { id: string }[]; humanReadable: string; query?: QueryBranch } {
  const ids = [...new Set(items.map((i) => i.datasetId))];
  const words = [
    ...new Set(
      items.map((i) =>
        i.catalogueQuery
          ? `catalogue search ${decodeURIComponent(i.catalogueQuery.replaceAll('+', ' '))}`
          : i.searchId
            ? `federated search ${i.searchId}`
            : 'chosen in the catalogue',
      ),
    ),
  ];
  const query = items.find((i) => i.query)?.query;
  return { resources: ids.map((id) => ({ id })), humanReadable: words.join('; ').slice(0, 5000), ...(query ? { query } : {}) };
}

/** Datasets the hub cannot take (not catalogue identifiers), so the page can say which before sending. */
export const unrequestable = (items: readonly CartItem[]) => items.filter((i) => !UUID.test(i.datasetId));
