import { filterCatalogue } from '../../shared/filter-catalogue.ts';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import { canEvaluate } from './compile.ts';
import { DEFAULT_KEYS, type KeySet } from './keys.ts';

/**
 * What this bridge can evaluate, from the key table: every key it has data for (the EUCAIM keys
 * always, a clinical extra where some sheet has its column) and, for coded keys, every catalogue
 * code, in the catalogue's spelling. Without the index's sheet columns: the always-known keys.
 */
export function capabilityManifest(keys: KeySet = DEFAULT_KEYS, sheetColumns: ReadonlySet<string> = new Set()): CapabilityManifest {
  return {
    catalogueVersion: filterCatalogue.version,
    filters: keys.all
      .filter((k) => canEvaluate(k, sheetColumns))
      .map((k) => (k.kind === 'code' ? { key: k.filter.key, values: (k.filter.values ?? []).map((v) => v.code) } : { key: k.filter.key })),
  };
}
