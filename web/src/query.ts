// Builds the Lens query tree the EUCAIM explorer emits, so the hub and the nodes see one shape
// whichever client posted it.
import type { QueryBranch, QueryLeaf } from '../../shared/query.ts';

/** One filter as the form collected it: value codes (or texts) for coded keys, a range for numbers. */
export type Criterion = { key: string; kind: 'values'; values: string[] } | { key: string; kind: 'range'; min?: number; max?: number };

function leavesOf(c: Criterion): QueryLeaf[] {
  if (c.kind === 'values') return c.values.map((value) => ({ key: c.key, type: 'EQUALS' as const, value }));
  if (c.min === undefined && c.max === undefined) return [];
  const value = { ...(c.min !== undefined ? { min: c.min } : {}), ...(c.max !== undefined ? { max: c.max } : {}) };
  return [{ key: c.key, type: 'BETWEEN' as const, value }];
}

/**
 * An outer OR of one inner AND, each criterion in its own OR (several values of one filter are
 * alternatives inside that OR), as Lens does. No criteria is Lens's empty query, which counts all.
 */
export function lensQuery(criteria: readonly Criterion[]): QueryBranch {
  const groups = criteria.map(leavesOf).filter((leaves) => leaves.length > 0);
  if (groups.length === 0) return { operand: 'OR', children: [] };
  return { operand: 'OR', children: [{ operand: 'AND', children: groups.map((children) => ({ operand: 'OR' as const, children })) }] };
}
