import { describe, expect, it } from 'vitest';
import { searchRequestSchema } from '../../shared/query.ts';
import { countQuery, MODALITY_KEY, modalities, modalityCriteria } from './query.ts';

describe('the count query the web app posts', () => {
  it('is the empty Lens query when any modality will do', () => {
    expect(countQuery(modalityCriteria('any'))).toEqual({ operand: 'OR', children: [] });
  });

  it.each(modalities.map((m) => [m.label, m.code]))('wraps the %s criterion as Lens does', (_label, code) => {
    expect(countQuery(modalityCriteria(code))).toEqual({
      operand: 'OR',
      children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: MODALITY_KEY, type: 'EQUALS', value: code }] }] }],
    });
  });

  it('builds trees the hub accepts', () => {
    for (const choice of ['any', ...modalities.map((m) => m.code)]) {
      const parsed = searchRequestSchema.safeParse({ ast: countQuery(modalityCriteria(choice)) });
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  it('refuses a modality outside the catalogue', () => {
    expect(() => modalityCriteria('RID99999')).toThrow('unknown modality RID99999');
  });
});
