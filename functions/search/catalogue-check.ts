import type { FilterDefinition } from '../../shared/filter-catalogue.ts';
import { catalogueValue, filterByKey } from '../../shared/filter-catalogue.ts';
import { type QueryLeaf, type QueryNode, leavesWithPaths } from '../../shared/query.ts';

export interface CatalogueFault {
  path: (string | number)[];
  message: string;
}

/** A key or value code the catalogue does not know: accepted, sent on, and told to the user in words. */
export interface UnknownTerm {
  path: (string | number)[];
  key: string;
  value?: string;
  message: string;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkNumber(def: FilterDefinition, v: unknown, path: (string | number)[], faults: CatalogueFault[]) {
  if (!isNumber(v)) return faults.push({ path, message: `${def.label} takes a number` });
  if ((def.min !== undefined && v < def.min) || (def.max !== undefined && v > def.max)) {
    faults.push({ path, message: `${def.label} must lie between ${def.min} and ${def.max}` });
  }
}

/** The value faults of one leaf whose key the catalogue knows: a value of a shape the filter cannot take. */
function checkLeaf(def: FilterDefinition, leaf: QueryLeaf, at: (string | number)[], faults: CatalogueFault[]) {
  if (!def.operators.includes(leaf.type)) {
    faults.push({ path: [...at, 'type'], message: `${def.label} takes ${def.operators.join(', ')}, not ${leaf.type}` });
    return;
  }
  const path = [...at, 'value'];
  const v = leaf.value;
  if (def.valueType === 'number') {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (v.min !== undefined) checkNumber(def, v.min, [...path, 'min'], faults);
      if (v.max !== undefined) checkNumber(def, v.max, [...path, 'max'], faults);
      if (isNumber(v.min) && isNumber(v.max) && v.min > v.max) faults.push({ path, message: 'min is above max' });
    } else if (leaf.type === 'BETWEEN') {
      faults.push({ path, message: `${def.label} BETWEEN takes { min, max }` });
    } else checkNumber(def, v, path, faults);
    return;
  }
  const many = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && leaf.type !== 'IN') return faults.push({ path, message: `only IN takes a list of values` });
  if (leaf.type === 'IN' && !Array.isArray(v)) return faults.push({ path, message: 'IN takes a list of values' });
  many.forEach((one, i) => {
    if (typeof one !== 'string')
      faults.push({
        path: Array.isArray(v) ? [...path, i] : path,
        message: `${def.label} takes ${def.valueType === 'code' ? 'a value code' : 'text'}`,
      });
  });
}

/**
 * Checks a query tree against the filter catalogue: a value of the wrong type, a number outside the
 * filter's range or an operator the key does not take is a fault with its path (the query is
 * malformed for that filter). An unknown key or value code is not: it goes to the nodes, which
 * report it as unsupported, and the user reads it as an `unknownTerms` notice; so a new key needs no
 * hub release and one unknown term never hides the rest of the answer.
 */
export function catalogueFaults(node: QueryNode, at: (string | number)[] = []): CatalogueFault[] {
  const faults: CatalogueFault[] = [];
  for (const { leaf, path } of leavesWithPaths(node, at)) {
    const def = filterByKey(leaf.key);
    if (def) checkLeaf(def, leaf, path, faults);
  }
  return faults;
}

/** Keys and value codes of the tree the catalogue does not know, once each, in the user's words. */
export function unknownTerms(node: QueryNode, at: (string | number)[] = []): UnknownTerm[] {
  const terms: UnknownTerm[] = [];
  const seen = new Set<string>();
  const add = (term: UnknownTerm) => {
    const id = `${term.key}\u0000${term.value ?? ''}`;
    if (!seen.has(id)) terms.push(term);
    seen.add(id);
  };
  for (const { leaf, path } of leavesWithPaths(node, at)) {
    const def = filterByKey(leaf.key);
    if (!def) {
      add({ path: [...path, 'key'], key: leaf.key, message: `unknown filter ${leaf.key}` });
      continue;
    }
    if (def.valueType !== 'code') continue;
    const v = leaf.value;
    for (const [i, one] of (Array.isArray(v) ? v : [v]).entries())
      if (typeof one === 'string' && !catalogueValue(def, one))
        add({
          path: Array.isArray(v) ? [...path, 'value', i] : [...path, 'value'],
          key: leaf.key,
          value: one,
          message: `unknown value ${one} of filter ${def.label}`,
        });
  }
  return terms;
}
