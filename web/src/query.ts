// Builds the Lens query tree the EUCAIM explorer emits, so the hub and the nodes see one shape
// whichever client posted it.
import type { QueryBranch } from '../../shared/query.ts';

/** RadLex "imaging modality", the filter key of the EUCAIM catalogue. */
export const MODALITY_KEY = 'RID10311';

export const modalities = [
  { label: 'MR', code: 'RID10312' },
  { label: 'CT', code: 'RID10321' },
  { label: 'PET', code: 'RID10337' },
  { label: 'SPECT', code: 'RID10334' },
] as const;

export interface Criterion {
  key: string;
  value: string;
}

/**
 * An outer OR of one inner AND, each criterion wrapped in its own OR, as Lens does. No criteria is
 * Lens's empty query (`OR` with no children), which counts everything.
 */
export function countQuery(criteria: readonly Criterion[]): QueryBranch {
  if (criteria.length === 0) return { operand: 'OR', children: [] };
  return {
    operand: 'OR',
    children: [
      {
        operand: 'AND',
        children: criteria.map((c) => ({ operand: 'OR' as const, children: [{ key: c.key, type: 'EQUALS' as const, value: c.value }] })),
      },
    ],
  };
}

/** The modality choice of the form: a RadLex code, or `any` for no modality filter. */
export function modalityCriteria(choice: string): Criterion[] {
  if (choice === 'any') return [];
  const known = modalities.find((m) => m.code === choice);
  if (!known) throw new Error(`unknown modality ${choice}`);
  return [{ key: MODALITY_KEY, value: known.code }];
}
