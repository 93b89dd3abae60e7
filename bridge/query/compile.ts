import type { QueryLeaf, QueryNode } from '../../shared/query.ts';
import { leaves } from '../../shared/query.ts';
import type { QueryKey } from './keys.ts';
import type { Snapshot } from './snapshot.ts';

/** A test of one row (a study, or a series), built once per query. */
export type Test = (i: number) => boolean;
type Make = (s: Snapshot) => Test;

/**
 * A compiled part of the tree. A series part tests one series; `union`, when set, is a test on the
 * study's union of series bits that every study with such a series passes (`exact`: only those).
 */
type Part = { level: 'study'; make: Make } | { level: 'series'; make: Make; union?: Make; exact: boolean };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const NEVER: Part = { level: 'study', make: () => () => false };

/** Whether this node has data for a key: the EUCAIM keys always, the others where a sheet has their column. */
export function canEvaluate(key: QueryKey, sheetColumns: ReadonlySet<string>): boolean {
  return key.always === true || sheetColumns.has(key.column);
}

function numberPart(key: QueryKey, leaf: QueryLeaf): Part | undefined {
  const { type, value } = leaf;
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
  // NaN (no value) fails every comparison, so it never matches.
  return {
    level: 'study',
    make: (s) => {
      const col = s.numbers[key.column] as Float64Array;
      return (i) => {
        const v = col[i] as number;
        return (strictLo ? v > lo : v >= lo) && (strictHi ? v < hi : v <= hi);
      };
    },
  };
}

/**
 * A coded leaf, read as the CHAIMELEON mediator reads it (chaimeleon-eu/dataset-service
 * `storage/eucaim_search.py`): EQUALS / IN hold for a value among the codes, the "unknown" code
 * meaning no value (`IS NULL`); NOT_EQUALS holds for a value other than the code, so a record
 * without a value passes neither (`<>` on NULL).
 */
function codePart(key: QueryKey, leaf: QueryLeaf, position: (code: unknown) => number | undefined): Part | undefined {
  const { type, value } = leaf;
  const codes = type === 'IN' ? (Array.isArray(value) ? value : undefined) : typeof value === 'string' ? [value] : undefined;
  if (!codes || codes.length === 0 || (type !== 'IN' && type !== 'EQUALS' && type !== 'NOT_EQUALS')) return undefined;
  const positions = codes.map(position);
  if (positions.some((p) => p === undefined)) return undefined;
  const negate = type === 'NOT_EQUALS';
  if (key.level === 'series') {
    const mask = positions.reduce((m: number, p) => (m | (1 << (p as number))) >>> 0, 0);
    const none = key.noValue === undefined ? 0 : (1 << key.noValue) >>> 0;
    if (negate)
      return {
        level: 'series',
        exact: false,
        make: (s) => {
          const col = s.masks[key.column] as Uint32Array;
          return (j) => ((col[j] as number) & (mask | none)) === 0;
        },
      };
    const on = (pick: (s: Snapshot) => Uint32Array) => (s: Snapshot) => {
      const col = pick(s);
      return (j: number) => ((col[j] as number) & mask) !== 0;
    };
    // "Has a series with one of these codes" is exactly "the study's union has one of them".
    return {
      level: 'series',
      exact: true,
      make: on((s) => s.masks[key.column] as Uint32Array),
      union: on((s) => s.union[key.column] as Uint32Array),
    };
  }
  const none = key.noValue ?? -1;
  // Indexed by position + 1, so -1 (no value, for a key without an "unknown" code) has a slot too.
  const table = new Uint8Array(key.codes.length + 1);
  if (negate) {
    table.fill(1);
    table[0] = 0;
    table[none + 1] = 0;
    for (const p of positions) table[(p as number) + 1] = 0;
  } else for (const p of positions) table[(p as number) + 1] = 1;
  return {
    level: 'study',
    make: (s) => {
      const col = s.codes[key.column] as Int16Array;
      return (i) => table[(col[i] as number) + 1] === 1;
    },
  };
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

/** A part as a test of a study: a series part holds when one series of the study satisfies it. */
function studyTest(p: Part): Make {
  if (p.level === 'study') return p.make;
  if (p.exact && p.union) return p.union;
  return (s) => {
    const t = p.make(s);
    const u = p.union?.(s);
    const from = s.seriesFrom;
    const to = s.seriesTo;
    return (i) => {
      if (u && !u(i)) return false;
      for (let j = from[i] as number; j < (to[i] as number); j++) if (t(j)) return true;
      return false;
    };
  };
}

/**
 * Children of one AND or OR, grouped as the CHAIMELEON mediator groups them (`_searchRequestToSQL`):
 * the series-level children together in one "a series of the study satisfies them" (so "MR AND
 * prostate" is an MR series of the prostate), the rest per study.
 */
function combine(operand: 'AND' | 'OR', parts: Part[]): Part {
  if (parts.length === 1) return parts[0] as Part;
  const join = operand === 'AND' ? all : any;
  const series = parts.filter((p): p is Extract<Part, { level: 'series' }> => p.level === 'series');
  const study = parts.filter((p) => p.level === 'study');
  let grouped: Part | undefined;
  if (series.length === 1) grouped = series[0];
  else if (series.length > 1) {
    const unions = series.map((p) => p.union).filter((u): u is Make => u !== undefined);
    const union: Make | undefined =
      operand === 'AND'
        ? unions.length
          ? (s) => all(unions.map((u) => u(s)))
          : undefined
        : unions.length === series.length
          ? (s) => any(unions.map((u) => u(s)))
          : undefined;
    grouped = {
      level: 'series',
      exact: operand === 'OR' && series.every((p) => p.exact),
      union,
      make: (s) => join(series.map((p) => p.make(s))),
    };
  }
  if (study.length === 0) return grouped as Part;
  const makes = [...study.map((p) => p.make), ...(grouped ? [studyTest(grouped)] : [])];
  return { level: 'study', make: (s) => join(makes.map((m) => m(s))) };
}

function nodePart(node: QueryNode, leafOf: (leaf: QueryLeaf) => Part): Part | null {
  if ('key' in node) return leafOf(node);
  // An empty branch restricts nothing and is left out, as Lens's empty query `OR []` means "all".
  const parts = node.children.map((c) => nodePart(c, leafOf)).filter((p): p is Part => p !== null);
  if (parts.length === 0) return null;
  switch (node.operand) {
    case 'AND':
    case 'OR':
      return combine(node.operand, parts);
    case 'NOT': {
      // Lens gives NOT one child; with several, negate their conjunction. NOT is about the study:
      // NOT (modality MR) is a study without an MR series.
      const inner = studyTest(combine('AND', parts));
      return {
        level: 'study',
        make: (s) => {
          const t = inner(s);
          return (i) => !t(i);
        },
      };
    }
    case 'XOR': {
      const makes = parts.map(studyTest);
      return {
        level: 'study',
        make: (s) => {
          const ts = makes.map((m) => m(s));
          return (i) => {
            let odd = false;
            for (const t of ts) if (t(i)) odd = !odd;
            return odd;
          };
        },
      };
    }
  }
}

const hasNegation = (node: QueryNode): boolean =>
  !('key' in node) && (node.operand === 'NOT' || node.operand === 'XOR' || node.children.some(hasNegation));

export type Compiled = { ok: true; test: Test; unsupportedKeys: string[] } | { ok: false; unsupportedKeys: string[] };

/**
 * The query as a test per study of the snapshot. A leaf the bridge cannot evaluate (a key it has no
 * data for, an operator the catalogue does not allow for the key, a value of the wrong type, a code
 * the catalogue does not have) makes the query unsupported, with every such key. With `unknownAs:
 * 'no-match'` such a leaf matches nothing instead, as in the CHAIMELEON mediator (a condition it
 * cannot translate becomes `FALSE`); only where no NOT or XOR could turn that into a match.
 */
export function compileQuery(query: QueryNode, s: Snapshot, unknownAs: 'unsupported' | 'no-match' = 'unsupported'): Compiled {
  const cache = new Map<QueryLeaf, Part | undefined>();
  const partOf = (leaf: QueryLeaf): Part | undefined => {
    if (cache.has(leaf)) return cache.get(leaf);
    const key = s.keys.find(leaf.key);
    let part: Part | undefined;
    if (key && canEvaluate(key, s.sheetColumns) && key.filter.operators.includes(leaf.type))
      part = key.kind === 'number' ? numberPart(key, leaf) : codePart(key, leaf, (code) => s.keys.position(key, code));
    cache.set(leaf, part);
    return part;
  };
  const unsupportedKeys = [
    ...new Set(
      leaves(query)
        .filter((l) => partOf(l) === undefined)
        .map((l) => l.key),
    ),
  ].sort();
  if (unsupportedKeys.length > 0 && (unknownAs === 'unsupported' || hasNegation(query))) return { ok: false, unsupportedKeys };
  const part = nodePart(query, (leaf) => partOf(leaf) ?? NEVER);
  return { ok: true, test: part ? studyTest(part)(s) : () => true, unsupportedKeys };
}
