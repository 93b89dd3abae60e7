import type { Services } from '../services.ts';

type Listener = () => void;

/**
 * Wakes event streams in this process as soon as an answer for their search is recorded; streams
 * on other instances (Lambda, Workers, a second Node) still see it at their next database poll.
 * Keyed by the services object, so two hubs in one process (tests) never hear each other.
 */
const registries = new WeakMap<Services, Map<string, Set<Listener>>>();

function registry(s: Services): Map<string, Set<Listener>> {
  let map = registries.get(s);
  if (!map) {
    map = new Map();
    registries.set(s, map);
  }
  return map;
}

export function onSearchChange(s: Services, searchId: string, listener: Listener): () => void {
  const map = registry(s);
  const set = map.get(searchId) ?? new Set<Listener>();
  map.set(searchId, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(searchId);
  };
}

export function signalSearchChange(s: Services, searchId: string): void {
  for (const listener of [...(registry(s).get(searchId) ?? [])]) listener();
}
