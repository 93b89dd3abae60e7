import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../shared/query.ts';
import { queryInWords } from './query-words.ts';

const or = (...children: QueryNode[]): QueryNode => ({ operand: 'OR', children });
const and = (...children: QueryNode[]): QueryNode => ({ operand: 'AND', children });

describe('a query in words', () => {
  it.each([
    ['the empty Lens query', or(), 'all subjects (no filter)'],
    [
      'a Lens tree',
      or(
        and(
          or({ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }),
          or({ key: 'SNOMEDCT263495000', type: 'EQUALS', value: 'SNOMEDCT248152002' }),
        ),
      ),
      'Modality is MR AND Gender is Female',
    ],
    [
      'values in one OR',
      or(
        and(
          or({ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }, { key: 'RID10311', type: 'EQUALS', value: 'RID10321' }),
          or({ key: 'SNOMEDCT263495000', type: 'EQUALS', value: 'SNOMEDCT248153007' }),
        ),
      ),
      '(Modality is MR OR Modality is CT) AND Gender is Male',
    ],
    [
      'a range with its unit',
      or({ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 40, max: 70 } }),
      'Age at diagnosis is between 40 and 70 years',
    ],
    [
      'a one-sided range',
      or({ key: 'SNOMEDCT432213005', type: 'BETWEEN', value: { min: 2015 } }),
      'Year of diagnosis is at least 2015 year',
    ],
    ['a list', or({ key: 'C25392', type: 'IN', value: ['birnlex_3065', 'birnlex_12833'] }), 'Manufacturer is one of Philips, GE'],
    ['an unknown key as it was sent', or({ key: 'LOCAL42', type: 'EQUALS', value: 'x' }), 'LOCAL42 is x'],
  ])('reads %s', (_name, tree, text) => {
    expect(queryInWords(tree)).toBe(text);
  });
});
