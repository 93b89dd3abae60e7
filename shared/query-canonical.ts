import { filterByKey } from './filter-catalogue.ts';
import type { QueryLeaf, QueryNode } from './query.ts';

/**
 * A range as the user of Lens 0.4.6 meant it. Its number field starts at 0 and an empty "from" or
 * "to" is sent as 0; Lens itself reads the pair as "from" when both are equal, "≥ from" when "to"
 * is 0 and "≤ to" when "from" is 0 (samply/lens v0.4.6-0,
 * `packages/lib/src/components/catalogue/NumberInputComponent.svelte`, `transformName`). So
 * `{min: 50, max: 0}` is "at least 50" and `{min: 0, max: 2017}` "up to 2017".
 */
function lensRange(leaf: QueryLeaf): QueryLeaf {
  const v = leaf.value;
  if (leaf.type !== 'BETWEEN' || typeof v !== 'object' || v === null || Array.isArray(v)) return leaf;
  if (typeof v.min !== 'number' || typeof v.max !== 'number' || v.min === v.max) return leaf;
  if (v.max === 0) return { ...leaf, value: { min: v.min } };
  if (v.min === 0) return { ...leaf, value: { max: v.max } };
  return leaf;
}

/**
 * The tree with every number range of a catalogue filter read as the explorer's user meant it.
 * Keys and codes keep the caller's spelling, so what is reported back (unsupported keys, words)
 * reads as they wrote it. Unknown keys are left as sent: nobody can say what their numbers mean.
 */
export function canonicalQuery(node: QueryNode): QueryNode {
  if ('key' in node) return filterByKey(node.key)?.valueType === 'number' ? lensRange(node) : node;
  return { operand: node.operand, children: node.children.map(canonicalQuery) };
}
