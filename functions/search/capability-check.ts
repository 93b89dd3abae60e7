import { catalogueValue, filterByKey } from '../../shared/filter-catalogue.ts';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import { type QueryNode, leaves } from '../../shared/query.ts';

/**
 * The keys of a query a node said (in its capability manifest) it cannot evaluate: keys it does not
 * list, and coded keys asked for a code it does not list. Keys and codes are compared in the
 * catalogue's spelling (a hyper-ontology key may arrive with or without its prefix) and reported in
 * the caller's. Such a node is recorded as unsupported at once and sent no job, as it would answer;
 * a node that sent no manifest is asked all the same.
 */
export function unsupportedKeys(query: QueryNode, manifest: CapabilityManifest | null | undefined): string[] {
  if (!manifest) return [];
  const known = new Map(manifest.filters.map((f) => [f.key, f.values ? new Set(f.values) : undefined]));
  const missing = new Set<string>();
  for (const leaf of leaves(query)) {
    const def = filterByKey(leaf.key);
    const key = def?.key ?? leaf.key;
    if (!known.has(key)) {
      missing.add(leaf.key);
      continue;
    }
    const codes = known.get(key);
    const asked = (Array.isArray(leaf.value) ? leaf.value : [leaf.value]).map((v) => (def ? (catalogueValue(def, v)?.code ?? v) : v));
    if (codes && asked.some((v) => typeof v === 'string' && !codes.has(v))) missing.add(leaf.key);
  }
  return [...missing].sort();
}
