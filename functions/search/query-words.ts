import { catalogueValue, filterByKey } from '../../shared/filter-catalogue.ts';
import type { QueryLeaf, QueryNode } from '../../shared/query.ts';

const verbs: Record<QueryLeaf['type'], string> = {
  EQUALS: 'is',
  NOT_EQUALS: 'is not',
  IN: 'is one of',
  BETWEEN: 'is between',
  LOWER_THAN: 'is below',
  GREATER_THAN: 'is above',
  CONTAINS: 'contains',
};

function valueWords(leaf: QueryLeaf): string {
  const def = filterByKey(leaf.key);
  const label = (v: unknown) => (def ? catalogueValue(def, v)?.label : undefined) ?? String(v);
  const unit = def?.unit ? ` ${def.unit}` : '';
  const v = leaf.value;
  if (Array.isArray(v)) return v.map(label).join(', ');
  if (v !== null && typeof v === 'object') {
    if (v.min !== undefined && v.max !== undefined) return `${v.min} and ${v.max}${unit}`;
    return v.min !== undefined ? `at least ${v.min}${unit}` : `at most ${v.max}${unit}`;
  }
  return `${label(v)}${typeof v === 'number' ? unit : ''}`;
}

function leafWords(leaf: QueryLeaf): string {
  const name = filterByKey(leaf.key)?.label ?? leaf.key;
  const v = leaf.value;
  // A one-sided BETWEEN reads better as "at least"/"at most" than as "between 40 and undefined".
  const verb =
    leaf.type === 'BETWEEN' && typeof v === 'object' && !Array.isArray(v) && (v.min === undefined || v.max === undefined)
      ? 'is'
      : verbs[leaf.type];
  return `${name} ${verb} ${valueWords(leaf)}`;
}

/** A branch's words, and whether they join several parts (and need parentheses inside another). */
function words(node: QueryNode): { text: string; compound: boolean } {
  if ('key' in node) return { text: leafWords(node), compound: false };
  const parts = node.children.map(words).filter((p) => p.text !== '');
  if (parts.length === 0) return { text: '', compound: false };
  if (node.operand === 'NOT') return { text: `NOT (${parts.map((p) => p.text).join(' AND ')})`, compound: false };
  if (parts.length === 1) return parts[0] as { text: string; compound: boolean };
  return { text: parts.map((p) => (p.compound ? `(${p.text})` : p.text)).join(` ${node.operand} `), compound: true };
}

/**
 * The query as a sentence with the catalogue's labels: "Modality is MR AND Gender is Female".
 * Lens wraps every criterion in its own OR; one-child branches add no words and no parentheses.
 */
export function queryInWords(node: QueryNode): string {
  return words(node).text || 'all subjects (no filter)';
}
