import { EUCAIM_KEYS, filterByKey } from '../../shared/filter-catalogue.ts';
import type { QueryLeaf, QueryNode } from '../../shared/query.ts';
import { leaves } from '../../shared/query.ts';
import { CODE_INDEX } from '../index/derive.ts';
import type { Snapshot } from './snapshot.ts';

type Column = 'gender' | 'diagnosis' | 'age' | 'year' | 'modalities' | 'bodyParts' | 'manufacturers';
/** Where each key the bridge can evaluate lives in the query table. */
const COLUMNS: Record<string, { column: Column; kind: 'code' | 'mask' | 'number' }> = {
  [EUCAIM_KEYS.gender]: { column: 'gender', kind: 'code' },
  [EUCAIM_KEYS.diagnosis]: { column: 'diagnosis', kind: 'code' },
  [EUCAIM_KEYS.ageAtDiagnosis]: { column: 'age', kind: 'number' },
  [EUCAIM_KEYS.yearOfDiagnosis]: { column: 'year', kind: 'number' },
  [EUCAIM_KEYS.modality]: { column: 'modalities', kind: 'mask' },
  [EUCAIM_KEYS.bodyPart]: { column: 'bodyParts', kind: 'mask' },
  [EUCAIM_KEYS.manufacturer]: { column: 'manufacturers', kind: 'mask' },
};

export const SUPPORTED_KEYS = Object.keys(COLUMNS);

/** A test of one study (row `i` of the snapshot), built once per query. */
export type Test = (i: number) => boolean;
type Factory = (s: Snapshot) => Test;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * One leaf as a test that is always true or false: a patient without a clinical row has no age, so
 * "age < 50" is false for them and "NOT age < 50" true. `undefined`: the bridge cannot evaluate it
 * (unknown key, an operator the catalogue does not allow for it, a value of the wrong type, a code
 * the catalogue does not have).
 */
function leafTest(leaf: QueryLeaf): Factory | undefined {
  const target = COLUMNS[leaf.key];
  const filter = filterByKey(leaf.key);
  if (!target || !filter?.operators.includes(leaf.type)) return undefined;
  const { column, kind } = target;
  const { type, value } = leaf;
  if (kind === 'number') {
    let lo = Number.NEGATIVE_INFINITY;
    let hi = Number.POSITIVE_INFINITY;
    let strictLo = false;
    let strictHi = false;
    if (type === 'BETWEEN' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if ((value.min !== undefined && !isNum(value.min)) || (value.max !== undefined && !isNum(value.max))) return undefined;
      if (isNum(value.min)) lo = value.min;
      if (isNum(value.max)) hi = value.max;
    } else if (isNum(value) && type === 'EQUALS') [lo, hi] = [value, value];
    else if (isNum(value) && type === 'LOWER_THAN') [hi, strictHi] = [value, true];
    else if (isNum(value) && type === 'GREATER_THAN') [lo, strictLo] = [value, true];
    else return undefined;
    // NaN (no clinical value) fails every comparison, so it never matches.
    return (s) => {
      const col = s[column as 'age' | 'year'];
      return (i) => {
        const v = col[i] as number;
        return (strictLo ? v > lo : v >= lo) && (strictHi ? v < hi : v <= hi);
      };
    };
  }
  const codes =
    type === 'IN'
      ? Array.isArray(value)
        ? value
        : typeof value === 'string'
          ? [value]
          : undefined
      : typeof value === 'string'
        ? [value]
        : undefined;
  if (!codes || codes.length === 0 || (type !== 'IN' && type !== 'EQUALS' && type !== 'NOT_EQUALS')) return undefined;
  const index = CODE_INDEX[leaf.key] as Map<string, number>;
  const positions = codes.map((c) => index.get(c));
  if (positions.some((p) => p === undefined)) return undefined;
  const negate = type === 'NOT_EQUALS';
  if (kind === 'mask') {
    const mask = positions.reduce((m: number, p) => m | (1 << (p as number)), 0);
    // EXISTS over the study's series; NOT_EQUALS is its negation ("no series of that modality").
    return (s) => {
      const col = s[column as 'modalities'];
      return (i) => (((col[i] as number) & mask) !== 0) !== negate;
    };
  }
  const wanted = new Set(positions as number[]);
  return (s) => {
    const col = s[column as 'gender' | 'diagnosis'];
    return (i) => wanted.has(col[i] as number) !== negate;
  };
}

function nodeTest(node: QueryNode): Factory | null {
  if ('key' in node) return leafTest(node) as Factory;
  // An empty branch restricts nothing and is left out, as Lens's empty query `OR []` means "all".
  const parts = node.children.map(nodeTest).filter((p): p is Factory => p !== null);
  if (parts.length === 0) return null;
  const only = parts.length === 1 ? parts[0] : undefined;
  // Plain loops, not every/some with an arrow: this runs once per study per node of the tree.
  switch (node.operand) {
    case 'AND':
      return only ?? ((s) => all(parts.map((p) => p(s))));
    case 'OR':
      return only ?? ((s) => any(parts.map((p) => p(s))));
    case 'XOR':
      return (s) => {
        const ts = parts.map((p) => p(s));
        return (i) => {
          let odd = false;
          for (const t of ts) if (t(i)) odd = !odd;
          return odd;
        };
      };
    case 'NOT':
      // Lens gives NOT one child; with several, negate their conjunction.
      return (s) => {
        const t = all(parts.map((p) => p(s)));
        return (i) => !t(i);
      };
  }
}

function all(ts: Test[]): Test {
  const n = ts.length;
  return (i) => {
    for (let k = 0; k < n; k++) if (!(ts[k] as Test)(i)) return false;
    return true;
  };
}

function any(ts: Test[]): Test {
  const n = ts.length;
  return (i) => {
    for (let k = 0; k < n; k++) if ((ts[k] as Test)(i)) return true;
    return false;
  };
}

export type Compiled = { ok: true; test: (s: Snapshot) => Test } | { ok: false; unsupportedKeys: string[] };

/** The query as a test per study, or every key the bridge cannot evaluate. */
export function compileQuery(query: QueryNode): Compiled {
  const unsupported = [
    ...new Set(
      leaves(query)
        .filter((l) => leafTest(l) === undefined)
        .map((l) => l.key),
    ),
  ].sort();
  if (unsupported.length > 0) return { ok: false, unsupportedKeys: unsupported };
  return { ok: true, test: nodeTest(query) ?? (() => () => true) };
}
