import { describe, expect, it } from 'vitest';
import type { QueryNode } from '../../shared/query.ts';
import { unsupportedKeys } from './capability-check.ts';

const leaf = (key: string, value: unknown, type = 'EQUALS') => ({ key, type, value }) as QueryNode;
const query = (...leaves: QueryNode[]): QueryNode => ({ operand: 'OR', children: [{ operand: 'AND', children: leaves }] });
const manifest = { catalogueVersion: 1, filters: [{ key: 'modality', values: ['MR', 'CT'] }, { key: 'age' }] };

describe('unsupportedKeys', () => {
  it.each([
    ['a key the node does not list', query(leaf('gender', 'F')), ['gender']],
    ['a code the node does not list', query(leaf('modality', 'PET')), ['modality']],
    ['one unknown code among several', query(leaf('modality', ['MR', 'PET'], 'IN')), ['modality']],
    ['several keys, sorted and once each', query(leaf('zeta', 'x'), leaf('gender', 'F'), leaf('zeta', 'y')), ['gender', 'zeta']],
    [
      'known keys and codes, ranges and numbers',
      query(leaf('modality', ['MR', 'CT'], 'IN'), leaf('age', { min: 40, max: 60 }, 'BETWEEN'), leaf('age', 3, 'LOWER_THAN')),
      [],
    ],
  ])('names %s', (_name, q, expected) => {
    expect(unsupportedKeys(q, manifest)).toEqual(expected);
  });

  it('compares hyper-ontology keys and codes in either spelling, and names them as the caller wrote them', () => {
    const er = 'EUCAIM_Hyper-Ontology_V1.0.CLIN1045815';
    const withEr = { catalogueVersion: 2, filters: [{ key: er, values: ['EUCAIM_Hyper-Ontology_V1.0.COM1001310'] }] };
    expect(unsupportedKeys(query(leaf('CLIN1045815', 'COM1001310')), withEr)).toEqual([]);
    expect(unsupportedKeys(query(leaf(er, `EUCAIM_Hyper-Ontology_V1.0.COM1001310`)), withEr)).toEqual([]);
    expect(unsupportedKeys(query(leaf('CLIN1045815', 'COM1001332')), withEr)).toEqual(['CLIN1045815']);
    expect(unsupportedKeys(query(leaf('CLIN1046085', 'COM1001310')), withEr)).toEqual(['CLIN1046085']);
  });

  it('names nothing for a node that sent no manifest: it is asked as before', () => {
    expect(unsupportedKeys(query(leaf('gender', 'F')), null)).toEqual([]);
  });
});
