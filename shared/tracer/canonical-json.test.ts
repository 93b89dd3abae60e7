import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

/** RFC 8785 as plainly as it can be written: the oracle the fast paths are checked against. */
function reference(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('no NaN or Infinity');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
  }
  throw new TypeError(`cannot encode ${typeof v}`);
}

// A small deterministic generator (no dependency): objects with keys in order and out of order,
// integer-like keys, escapes, astral and lone surrogates, numbers JCS spells specially.
function generator(seed: number) {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const strings = ['', 'a', 'é', '"q"', 'back\\slash', 'tab\t', '\u0000', '𝄞', '\ud800', 'b', '10', '9', 'Z', 'aa'];
  const numbers = [0, -0, 1, -1, 0.5, 1e21, 1e-7, 123456789012, Number.MAX_SAFE_INTEGER, 5e-324];
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.35) return r < 0.1 ? null : r < 0.15 ? next() < 0.5 : r < 0.25 ? pick(strings) : pick(numbers);
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const keys = Array.from({ length: Math.floor(next() * 5) }, () => pick(strings));
    if (next() < 0.6) keys.sort();
    const o: Record<string, unknown> = {};
    for (const k of keys) o[k] = next() < 0.1 ? undefined : value(depth + 1);
    return o;
  };
  return value;
}

describe('canonical JSON (RFC 8785)', () => {
  it('writes what the plain reference writes, for 5,000 generated values', () => {
    const value = generator(7);
    for (let i = 0; i < 5000; i++) {
      const v = value(0);
      expect(canonicalJson(v), JSON.stringify(v)).toBe(reference(v));
    }
  });

  it('sorts members even where JSON.stringify would keep their order, integer-like keys included', () => {
    expect(canonicalJson({ a: 1, b: { d: 1, c: 2 } })).toBe('{"a":1,"b":{"c":2,"d":1}}');
    expect(canonicalJson({ 10: 'x', 9: 'y' })).toBe('{"10":"x","9":"y"}');
    expect(canonicalJson({ a: { B: 1, a: 2 } })).toBe('{"a":{"B":1,"a":2}}');
  });

  it('refuses what JSON has no spelling for, even inside objects in order', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(/NaN/);
    expect(() => canonicalJson({ a: [undefined] })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });

  it('does not let objects speak for themselves (toJSON, class instances)', () => {
    const date = new Date(0);
    // A Date is an object with no members of its own; JSON.stringify would write its toJSON().
    expect(canonicalJson({ at: date })).toBe('{"at":{}}');
    expect(() => canonicalJson({ a: { toJSON: () => 'x' } })).toThrow(TypeError);
    class Point {
      constructor(readonly x: number) {}
    }
    expect(canonicalJson({ p: new Point(1) })).toBe('{"p":{"x":1}}');
  });
});
