import { describe, expect, it } from 'vitest';
import { catalogueFaults } from '../../functions/search/catalogue-check.ts';
import { searchRequestSchema } from '../../shared/query.ts';
import { type Criterion, lensQuery } from './query.ts';

const cases: [string, Criterion[], unknown][] = [
  ['no criteria as the empty Lens query', [], { operand: 'OR', children: [] }],
  [
    'empty values and ranges as no criterion',
    [
      { key: 'RID10311', kind: 'values', values: [] },
      { key: 'SNOMEDCT423493009', kind: 'range' },
    ],
    { operand: 'OR', children: [] },
  ],
  [
    'each criterion in its own OR, values of one filter as alternatives',
    [
      { key: 'RID10311', kind: 'values', values: ['RID10312', 'RID10321'] },
      { key: 'SNOMEDCT423493009', kind: 'range', min: 40 },
    ],
    {
      operand: 'OR',
      children: [
        {
          operand: 'AND',
          children: [
            {
              operand: 'OR',
              children: [
                { key: 'RID10311', type: 'EQUALS', value: 'RID10312' },
                { key: 'RID10311', type: 'EQUALS', value: 'RID10321' },
              ],
            },
            { operand: 'OR', children: [{ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 40 } }] },
          ],
        },
      ],
    },
  ],
];

describe('the query the explorer posts', () => {
  it.each(cases)('builds %s', (_name, criteria, tree) => {
    expect(lensQuery(criteria)).toEqual(tree);
  });

  it('builds trees the hub accepts, schema and catalogue alike', () => {
    for (const [, criteria] of cases) {
      const tree = lensQuery(criteria);
      expect(searchRequestSchema.safeParse({ ast: tree }).success).toBe(true);
      expect(catalogueFaults(tree)).toEqual([]);
    }
  });
});
