import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import { filterCatalogue } from '../../shared/filter-catalogue.ts';
import { SUPPORTED_KEYS } from './compile.ts';

/** What this bridge can evaluate: the keys it has data for and, for coded keys, every catalogue code. */
export function capabilityManifest(): CapabilityManifest {
  return {
    catalogueVersion: filterCatalogue.version,
    filters: filterCatalogue.filters
      .filter((f) => SUPPORTED_KEYS.includes(f.key))
      .map((f) => (f.values ? { key: f.key, values: f.values.map((v) => v.code) } : { key: f.key })),
  };
}
