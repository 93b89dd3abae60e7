import type { ParameterSpec } from './tool.ts';

export type ParameterValue = string | number | boolean;

export type ParameterCheck =
  | { ok: true; values: Record<string, ParameterValue>; env: string[]; json: string }
  | { ok: false; problems: string[] };

function checkOne(spec: ParameterSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > spec.maxLength) return `must be at most ${spec.maxLength} characters`;
      // NUL cannot travel in an environment variable and has no business in a parameter.
      if (value.includes('\0')) return 'must not contain NUL';
      if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(value)) return 'does not match the declared pattern';
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a ${spec.type}`;
      if (spec.type === 'integer' && !Number.isSafeInteger(value)) return 'must be an integer';
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}`;
      return;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && spec.choices.includes(value) ? undefined : `must be one of ${spec.choices.join(', ')}`;
  }
}

/**
 * Checks run parameters against the tool's declared schema. Unknown names and wrong types are
 * refused, never coerced or dropped silently; the values are only ever handed over as data (an
 * environment variable per parameter and a JSON file), never through a shell or an evaluator.
 */
export function checkParameters(specs: readonly ParameterSpec[], given: Record<string, unknown>): ParameterCheck {
  const problems: string[] = [];
  const declared = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(given)) if (!declared.has(name)) problems.push(`${name.slice(0, 64)}: not a parameter of this tool`);
  const values: Record<string, ParameterValue> = {};
  for (const spec of specs) {
    const value = Object.hasOwn(given, spec.name) ? given[spec.name] : spec.default;
    if (value === undefined) {
      if (spec.required) problems.push(`${spec.name}: is required`);
      continue;
    }
    const problem = checkOne(spec, value);
    if (problem) problems.push(`${spec.name}: ${problem}`);
    else values[spec.name] = value as ParameterValue;
  }
  if (problems.length > 0) return { ok: false, problems };
  const env = Object.entries(values).map(([k, v]) => `PARAM_${k.toUpperCase()}=${String(v)}`);
  return { ok: true, values, env, json: JSON.stringify(values) };
}
