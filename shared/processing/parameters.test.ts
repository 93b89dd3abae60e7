import { describe, expect, it } from 'vitest';
import { type ParameterSpec, parameterSpecSchema } from '../../shared/processing/tool.ts';
import { compileAllowList } from './glob.ts';
import { checkParameters } from './parameters.ts';

const specs: ParameterSpec[] = [
  { name: 'epochs', type: 'integer', min: 1, max: 100, required: true },
  { name: 'rate', type: 'number', min: 0, max: 1, default: 0.1, required: false },
  { name: 'mode', type: 'enum', choices: ['fast', 'full'], required: false },
  { name: 'verbose', type: 'boolean', required: false },
  { name: 'tag', type: 'string', maxLength: 8, pattern: '[a-z]+', required: false },
].map((s) => parameterSpecSchema.parse(s));

describe('run parameters against the tool schema', () => {
  it('passes declared values with defaults, as environment variables and JSON', () => {
    const r = checkParameters(specs, { epochs: 3, mode: 'fast', verbose: false });
    expect(r).toEqual({
      ok: true,
      values: { epochs: 3, rate: 0.1, mode: 'fast', verbose: false },
      env: ['PARAM_EPOCHS=3', 'PARAM_RATE=0.1', 'PARAM_MODE=fast', 'PARAM_VERBOSE=false'],
      json: '{"epochs":3,"rate":0.1,"mode":"fast","verbose":false}',
    });
  });

  it.each([
    ['an unknown name', { epochs: 1, cmd: 'rm -rf /' }, 'cmd: not a parameter of this tool'],
    ['a name that only differs in case', { epochs: 1, EPOCHS: 2 }, 'EPOCHS: not a parameter of this tool'],
    ['a prototype key', JSON.parse('{"epochs":1,"__proto__":{"x":1}}'), '__proto__: not a parameter of this tool'],
    ['a string for an integer', { epochs: '3' }, 'epochs: must be a integer'],
    ['a fraction for an integer', { epochs: 1.5 }, 'epochs: must be an integer'],
    ['a value under the minimum', { epochs: 0 }, 'epochs: must be at least 1'],
    ['a missing required value', {}, 'epochs: is required'],
    ['a choice not offered', { epochs: 1, mode: 'eval' }, 'mode: must be one of fast, full'],
    ['a string for a boolean', { epochs: 1, verbose: 'true' }, 'verbose: must be true or false'],
    ['a string outside its pattern', { epochs: 1, tag: 'a;b' }, 'tag: does not match the declared pattern'],
    ['a string over its length', { epochs: 1, tag: 'abcdefghi' }, 'tag: must be at most 8 characters'],
  ])('refuses %s', (_name, given, problem) => {
    const r = checkParameters(specs, given as Record<string, unknown>);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toContain(problem);
  });

  it('refuses a tool schema whose names could not be environment variables', () => {
    expect(parameterSpecSchema.safeParse({ name: 'A=B', type: 'boolean' }).success).toBe(false);
    expect(parameterSpecSchema.safeParse({ name: 'ok', type: 'enum', choices: ['a'], default: 'b' }).success).toBe(false);
  });
});

describe('the output allow-list', () => {
  it.each([
    [['*.json'], 'result.json', true],
    [['*.json'], 'sub/result.json', false],
    [['**/*.json'], 'sub/deep/result.json', true],
    [['**/*.json'], 'result.json', true],
    [['metrics/*.txt'], 'metrics/auc.txt', true],
    [['metrics/*.txt'], 'metrics/x/auc.txt', false],
    [['model.?t'], 'model.pt', true],
    [['a.json'], 'aXjson', false],
    [[], 'result.json', false],
  ])('%j matches %s: %s', (globs, path, expected) => {
    expect(compileAllowList(globs)(path)).toBe(expected);
  });
});
