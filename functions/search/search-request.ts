import { z } from 'zod';
import { searchRequestSchema } from '../../shared/query.ts';
import { catalogueFaults } from './catalogue-check.ts';

export const DEADLINE_LIMITS = { min: 1, max: 60 } as const;

/**
 * The explorer's POST body: the Lens tree, its own id, and how long the user will wait for the
 * nodes. Values are checked against the filter catalogue here, so a fault is a 400 naming its path.
 */
export const searchBodySchema = searchRequestSchema
  .extend({ deadlineSeconds: z.number().int().min(DEADLINE_LIMITS.min).max(DEADLINE_LIMITS.max).optional() })
  .superRefine((body, ctx) => {
    for (const fault of catalogueFaults(body.ast, ['ast'])) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  });
export type SearchBody = z.infer<typeof searchBodySchema>;
