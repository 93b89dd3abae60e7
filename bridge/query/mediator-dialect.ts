import { EUCAIM_KEYS, type FilterDefinition, filterByKey, filterCatalogue, primaryCode } from '../../shared/filter-catalogue.ts';
import type { CapabilityManifest } from '../../shared/job-protocol.ts';
import type { QueryLeaf, QueryNode } from '../../shared/query.ts';
import { canonicalQuery } from '../../shared/query-canonical.ts';

/**
 * What the CHAIMELEON/UPV mediator can read (chaimeleon-eu/dataset-service
 * `storage/eucaim_search.py` and `storage/eucaim_formats.py`), so the bridge never sends it what it
 * refuses or misreads: the seven EUCAIM keys, these codes ("unknown" as IS NULL), AND and OR only
 * (NOT or XOR is a 422), ranges with both bounds (a one-sided one silently matches nothing), no
 * empty branch beside others (a SQL syntax error, 500), no IN without a known code (500).
 */
const MEDIATOR_CODES: Record<string, string[]> = {
  [EUCAIM_KEYS.gender]: ['SNOMEDCT261665006', 'SNOMEDCT248153007', 'SNOMEDCT248152002', 'SNOMEDCT74964007'],
  [EUCAIM_KEYS.diagnosis]: [
    'SNOMEDCT261665006',
    'SNOMEDCT399068003',
    'SNOMEDCT254837009',
    'SNOMEDCT363358000',
    'SNOMEDCT363406005',
    'SNOMEDCT363351006',
  ],
  [EUCAIM_KEYS.bodyPart]: [
    'SNOMEDCT261665006',
    'SNOMEDCT41216001',
    'SNOMEDCT76752008',
    'SNOMEDCT39607008',
    'SNOMEDCT71854001',
    'SNOMEDCT818981001',
    'SNOMEDCT816092008',
    'SNOMEDCT69536005',
  ],
  [EUCAIM_KEYS.modality]: ['SNOMEDCT261665006', 'RID10312', 'RID10337', 'RID10321', 'RID10334'],
  [EUCAIM_KEYS.manufacturer]: ['SNOMEDCT261665006', 'C200140', 'birnlex_3066', 'birnlex_12833', 'birnlex_3065', 'birnlex_3067'],
};
const MEDIATOR_NUMBERS = new Set<string>([EUCAIM_KEYS.ageAtDiagnosis, EUCAIM_KEYS.yearOfDiagnosis]);

/** The mediator's code for a catalogue code: itself, or the one it knows by the same meaning (the pelvis). */
function mediatorCode(def: FilterDefinition, code: unknown): string | undefined {
  const primary = primaryCode(def, code);
  return primary === undefined ? undefined : MEDIATOR_CODES[def.key]?.find((c) => primaryCode(def, c) === primary);
}

function mediatorLeaf(leaf: QueryLeaf): QueryLeaf | undefined {
  const def = filterByKey(leaf.key);
  if (def === undefined) return undefined;
  if (!def.operators.includes(leaf.type)) return undefined;
  const { type, value } = leaf;
  if (MEDIATOR_NUMBERS.has(def.key)) {
    if (typeof value === 'number') return type === 'BETWEEN' ? undefined : { key: def.key, type, value };
    if (type !== 'BETWEEN' || typeof value !== 'object' || Array.isArray(value)) return undefined;
    // An open side becomes the filter's own bound, so the mediator gets the two numbers it needs.
    const min = value.min ?? def.min;
    const max = value.max ?? def.max;
    return typeof min === 'number' && typeof max === 'number' ? { key: def.key, type, value: { min, max } } : undefined;
  }
  if (!MEDIATOR_CODES[def.key]) return undefined;
  if (type === 'IN') {
    const codes = Array.isArray(value) ? value.map((v) => mediatorCode(def, v)) : [];
    return codes.length > 0 && codes.every((c) => c !== undefined) ? { key: def.key, type, value: codes as string[] } : undefined;
  }
  const code = (type === 'EQUALS' || type === 'NOT_EQUALS') && typeof value === 'string' ? mediatorCode(def, value) : undefined;
  return code === undefined ? undefined : { key: def.key, type, value: code };
}

export type MediatorQuery = { ok: true; ast: QueryNode } | { ok: false; unsupportedKeys: string[] };

/**
 * The query as the mediator will read it as meant, or what it cannot read: keys (as the caller spelt
 * them) and the operands NOT / XOR. Empty branches are left out; they restrict nothing.
 */
export function toMediatorQuery(query: QueryNode): MediatorQuery {
  const unsupported = new Set<string>();
  const walk = (node: QueryNode, root: boolean): QueryNode | null => {
    if ('key' in node) {
      const leaf = mediatorLeaf(node);
      if (!leaf) unsupported.add(node.key);
      return leaf ?? null;
    }
    if (node.operand !== 'AND' && node.operand !== 'OR') unsupported.add(node.operand);
    const children = node.children.map((c) => walk(c, false)).filter((c): c is QueryNode => c !== null);
    return children.length > 0 || root ? { operand: node.operand, children } : null;
  };
  const ast = walk(canonicalQuery(query), true) as QueryNode;
  return unsupported.size > 0 ? { ok: false, unsupportedKeys: [...unsupported].sort() } : { ok: true, ast };
}

/** What a bridge in front of such a mediator can evaluate, in the catalogue's spelling. */
export function mediatorCapabilities(): CapabilityManifest {
  return {
    catalogueVersion: filterCatalogue.version,
    filters: filterCatalogue.filters
      .filter((f) => MEDIATOR_NUMBERS.has(f.key) || MEDIATOR_CODES[f.key])
      .map((f) =>
        MEDIATOR_CODES[f.key]
          ? { key: f.key, values: (f.values ?? []).filter((v) => mediatorCode(f, v.code)).map((v) => v.code) }
          : { key: f.key },
      ),
  };
}
