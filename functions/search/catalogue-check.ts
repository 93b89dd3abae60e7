import type { FilterDefinition } from '../../shared/filter-catalogue.ts';
import { filterByKey } from '../../shared/filter-catalogue.ts';
import type { QueryLeaf, QueryNode } from '../../shared/query.ts';

export interface CatalogueFault {
  path: (string | number)[];
  message: string;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkNumber(def: FilterDefinition, v: unknown, path: (string | number)[], faults: CatalogueFault[]) {
  if (!isNumber(v)) return faults.push({ path, message: `${def.label} takes a number` });
  if ((def.min !== undefined && v < def.min) || (def.max !== undefined && v > def.max)) {
    faults.push({ path, message: `${def.label} must lie between ${def.min} and ${def.max}` });
  }
}

function checkCode(def: FilterDefinition, v: unknown, path: (string | number)[], faults: CatalogueFault[]) {
  if (typeof v !== 'string') return faults.push({ path, message: `${def.label} takes a value code` });
  if (!def.values?.some((x) => x.code === v)) faults.push({ path, message: `${v} is not a value of ${def.label}` });
}

/** The value faults of one leaf whose key the catalogue knows. */
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
    const p = Array.isArray(v) ? [...path, i] : path;
    if (def.valueType === 'code') checkCode(def, one, p, faults);
    else if (typeof one !== 'string') faults.push({ path: p, message: `${def.label} takes text` });
  });
}

/**
 * Checks a query tree against the filter catalogue: a value of the wrong type, an unknown value code
 * or an operator the key does not take is a fault with its path. An unknown key is not: it goes to
 * the nodes, which report it as unsupported, so a new key needs no hub release.
 */
export function catalogueFaults(node: QueryNode, at: (string | number)[] = []): CatalogueFault[] {
  const faults: CatalogueFault[] = [];
  const stack: { node: QueryNode; at: (string | number)[] }[] = [{ node, at }];
  while (stack.length > 0) {
    const { node: n, at: p } = stack.pop() as { node: QueryNode; at: (string | number)[] };
    if ('key' in n) {
      const def = filterByKey(n.key);
      if (def) checkLeaf(def, n, p, faults);
    } else {
      for (const [i, child] of n.children.entries()) stack.push({ node: child, at: [...p, 'children', i] });
    }
  }
  return faults;
}
