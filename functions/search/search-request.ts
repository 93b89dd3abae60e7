import { z } from 'zod';
import { searchRequestSchema } from '../../shared/query.ts';
import { canonicalQuery } from '../../shared/query-canonical.ts';
import { catalogueFaults } from './catalogue-check.ts';

export const DEADLINE_LIMITS = { min: 1, max: 60 } as const;

/**
 * The explorer's POST body: the Lens tree, its own id, and how long the user will wait for the
 * nodes. The tree arrives as any real explorer sends it (decorations dropped by the schema, Lens's
 * empty number fields read as the user meant them); its values are then checked against the filter
 * catalogue, so a malformed value is a 400 naming its path. Unknown keys and codes pass on.
 */
export const searchBodySchema = searchRequestSchema
  .extend({ deadlineSeconds: z.number().int().min(DEADLINE_LIMITS.min).max(DEADLINE_LIMITS.max).optional() })
  .transform((body) => ({ ...body, ast: canonicalQuery(body.ast) }))
  .superRefine((body, ctx) => {
    for (const fault of catalogueFaults(body.ast, ['ast'])) ctx.addIssue({ code: 'custom', path: fault.path, message: fault.message });
  });
export type SearchBody = z.infer<typeof searchBodySchema>;
