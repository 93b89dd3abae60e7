import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../shared/query.ts';
import { catalogueFaults, unknownTerms } from './catalogue-check.ts';

const leaf = (key: string, type: string, value: unknown) => ({ key, type, value }) as QueryNode;
const tree = (...leaves: QueryNode[]): QueryNode => ({ operand: 'OR', children: [{ operand: 'AND', children: leaves }] });
const HER2 = 'EUCAIM_Hyper-Ontology_V1.0.CLIN1045851';

describe('the catalogue check', () => {
  it.each([
    ['a string for a number', leaf('SNOMEDCT423493009', 'LOWER_THAN', 'forty'), 'children.0.children.0.value'],
    ['an operator the filter does not take', leaf('RID10311', 'BETWEEN', { min: 1 }), 'children.0.children.0.type'],
    ['min above max', leaf('SNOMEDCT432213005', 'BETWEEN', { min: 2020, max: 2010 }), 'children.0.children.0.value'],
    ['a number for a code', leaf(HER2, 'EQUALS', 3), 'children.0.children.0.value'],
  ])('faults %s, with its path', (_name, l, path) => {
    expect(catalogueFaults(tree(l)).map((f) => f.path.join('.'))).toEqual([path]);
  });

  it('takes unknown keys and codes (in either spelling for the hyper-ontology) and says them in words, once each', () => {
    const q = tree(
      leaf('blood-group', 'EQUALS', 'A+'),
      leaf('RID10311', 'IN', ['RID10312', 'RID99999']),
      leaf('RID10311', 'EQUALS', 'RID99999'),
      leaf(HER2, 'EQUALS', 'COM1001882'),
      leaf('CLIN1045851', 'EQUALS', 'EUCAIM_Hyper-Ontology_V1.0.COM1001877'),
    );
    expect(catalogueFaults(q)).toEqual([]);
    expect(unknownTerms(q).map((t) => [t.path.join('.'), t.message])).toEqual([
      ['children.0.children.0.key', 'unknown filter blood-group'],
      ['children.0.children.1.value.1', 'unknown value RID99999 of filter Modality'],
    ]);
  });
});
