import { describe, expect, it } from 'vitest';
import { NO_CONFORMANCE, explorerQueries, hasConformance } from '../test/support/conformance.ts';
import { queryTreeSchema, searchRequestSchema } from './query.ts';
import { canonicalQuery } from './query-canonical.ts';

const MR = { key: 'RID10311', type: 'EQUALS', value: 'RID10312' };

describe('the query tree as real clients send it', () => {
  it.each([
    [
      'Lens 0.4.6: nodeType everywhere, key on the criterion branch, system on leaves',
      {
        nodeType: 'branch',
        operand: 'OR',
        children: [
          {
            nodeType: 'branch',
            operand: 'AND',
            children: [{ nodeType: 'branch', key: 'RID10311', operand: 'OR', children: [{ nodeType: 'leaf', ...MR, system: '' }] }],
          },
        ],
      },
    ],
    [
      'Lens 0.6: key on the branch, no system',
      { operand: 'OR', children: [{ operand: 'AND', children: [{ key: 'RID10311', operand: 'OR', children: [MR] }] }] },
    ],
    [
      "Focus's labels per language on branches",
      {
        de: 'haupt',
        en: 'main',
        key: 'main',
        operand: 'OR',
        children: [{ operand: 'AND', children: [{ operand: 'OR', children: [MR] }] }],
      },
    ],
  ])('accepts %s and keeps only what evaluators read', (_name, tree) => {
    const parsed = queryTreeSchema.safeParse(tree);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toEqual({ operand: 'OR', children: [{ operand: 'AND', children: [{ operand: 'OR', children: [MR] }] }] });
  });

  it('reads an empty (null) bound of a range as no bound', () => {
    const parsed = queryTreeSchema.parse({ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: null, max: 70 } });
    expect(parsed).toEqual({ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { max: 70 } });
  });

  it.each([
    [
      'an unknown property on a branch, with its path',
      { operand: 'OR', children: [{ operand: 'AND', children: [], colour: 'red' }] },
      'children.0.colour',
    ],
    ['an unknown property on a leaf', { operand: 'OR', children: [{ ...MR, note: 'x' }] }, 'children.0'],
    ['a wrong nodeType', { operand: 'OR', nodeType: 'leaf', children: [] }, 'nodeType'],
    ['an unknown operand', { operand: 'NAND', children: [] }, 'operand'],
    ['a range without bounds', { key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: null } }, 'value'],
  ])('refuses %s', (_name, tree, path) => {
    const parsed = queryTreeSchema.safeParse(tree);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('the range the Lens 0.4.6 user meant (an empty number field is 0)', () => {
  const age = (value: unknown) => ({ key: 'SNOMEDCT423493009', type: 'BETWEEN' as const, value: value as { min: number } });
  it.each([
    ['{min: 50, max: 0} is at least 50', { min: 50, max: 0 }, { min: 50 }],
    ['{min: 0, max: 70} is up to 70', { min: 0, max: 70 }, { max: 70 }],
    ['{min: 40, max: 70} stays', { min: 40, max: 70 }, { min: 40, max: 70 }],
    ['{min: 0, max: 0} is exactly 0, as Lens names it', { min: 0, max: 0 }, { min: 0, max: 0 }],
  ])('%s', (_name, value, meant) => {
    expect(canonicalQuery({ operand: 'OR', children: [age(value)] })).toEqual({ operand: 'OR', children: [age(meant)] });
  });

  it('leaves the numbers of keys outside the catalogue as they were sent', () => {
    const leaf = { key: 'diagnosis_age_donor', type: 'BETWEEN' as const, value: { min: 0, max: 70 } };
    expect(canonicalQuery(leaf)).toEqual(leaf);
  });
});

describe.skipIf(!hasConformance)(`every query the real explorer and agent ship ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
  it.each(hasConformance ? explorerQueries().map((q) => [q.name, q] as const) : [])('%s is a well-formed request', (_name, q) => {
    const parsed = searchRequestSchema.safeParse(q.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });
});
