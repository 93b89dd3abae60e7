/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object members sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript serialises them (which is what JCS specifies).
 * The same value always gives the same bytes, so hashes agree across hub, verifier and browsers.
 * The verifier runs this once per entry of the whole log: plain loops, and JSON.stringify itself
 * where it already writes the canonical form.
 */
// Strings with nothing to escape (the usual case: ids, hashes, names) skip JSON.stringify.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON must escape
const needsEscape = /[\u0000-\u001f"\\\ud800-\udfff]/;
const quote = (s: string) => (needsEscape.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * Whether JSON.stringify already writes `value` canonically: plain data whose object members are in
 * order, with finite numbers only. JSON.stringify quotes strings and writes numbers exactly as JCS
 * does and drops undefined members as `canonicalJson` does; walking to check is cheaper than
 * building the string by hand, and the verifier meets such payloads on almost every entry.
 */
function alreadyCanonical(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined': // a member JSON.stringify drops, as canonicalJson does (arrays are checked below)
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      break;
    default:
      return false; // bigint, function, symbol: left to the encoder, which refuses them
  }
  if (depth > 32) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] === undefined || !alreadyCanonical(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  // Own keys, as JSON.stringify takes them (for...in would also see anything added to Object.prototype).
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1]! > keys[i]!) return false;
    if (!alreadyCanonical((value as Record<string, unknown>)[keys[i]!], depth + 1)) return false;
  }
  return true;
}

export function canonicalJson(value: unknown): string {
  if (typeof value === 'object' && value !== null && alreadyCanonical(value, 0)) return JSON.stringify(value);
  return canonicalSlow(value);
}

function canonicalSlow(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, as JCS requires; undefined members do not exist in JSON.
      // (Objects already in order took JSON.stringify in canonicalJson.)
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) continue;
        out += (first ? '' : ',') + quote(k) + ':' + canonicalJson(v);
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
  }
}

const encoder = new TextEncoder();
export const canonicalBytes = (value: unknown): Uint8Array => encoder.encode(canonicalJson(value));
