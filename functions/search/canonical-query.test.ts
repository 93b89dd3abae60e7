import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, queryHash } from './canonical-query.ts';

describe('the canonical query', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ operand: 'OR', children: [{ value: 'b', key: 'a', type: 'EQUALS' }] })).toBe(
      '{"children":[{"key":"a","type":"EQUALS","value":"b"}],"operand":"OR"}',
    );
  });

  it('hashes equal trees with keys in another order to the same SHA-256', async () => {
    const one = await queryHash({ operand: 'AND', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] });
    const two = await queryHash({ children: [{ value: 'RID10312', type: 'EQUALS', key: 'RID10311' }], operand: 'AND' });
    expect(one).toBe(two);
    expect(one).toBe(
      createHash('sha256').update('{"children":[{"key":"RID10311","type":"EQUALS","value":"RID10312"}],"operand":"AND"}').digest('hex'),
    );
  });
});
