// What the search routes answer, as schemas for the API description (the router checks each handler's
// JSON against them at compile time).
import { z } from 'zod';
import { countResultSchema, obfuscationSchema } from '../../shared/job-protocol.ts';
import { searchNodeStatuses } from './search.sql.ts';

const iso = z.iso.datetime();
const counts = z.object({ subjects_count: z.number().int(), studies_count: z.number().int() });
/** Stored and answered as the client sent it, after validation. */
export const queryTreeSchema = z
  .unknown()
  .describe('The Lens query tree: branches `{ operand, children }` and leaves `{ key, type, value }`.');
const nodeError = z.object({ code: z.string(), message: z.string() });

export const searchViewSchema = z.object({
  id: z.string(),
  clientId: z.string().nullable(),
  status: z.enum(['running', 'completed']),
  createdAt: iso,
  deadlineAt: iso,
  query: queryTreeSchema,
  queryHash: z.string().nullable(),
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      name: z.string(),
      status: z.enum(searchNodeStatuses),
      answeredAt: iso.nullable(),
      result: countResultSchema.nullable(),
      error: nodeError.nullable(),
      unsupportedKeys: z.array(z.string()),
    }),
  ),
  total: counts,
  notices: z.array(z.string()).describe('words for the user about terms the platform does not know, e.g. "unknown value X of filter Y"'),
});

export const searchReportSchema = z.object({
  report: z.string().describe('always `eucaim-federated-search`'),
  generatedAt: iso,
  hub: z.object({ url: z.string(), version: z.string(), catalogueVersion: z.number().int() }),
  search: searchViewSchema.pick({ id: true, clientId: true, status: true, createdAt: true, deadlineAt: true }),
  query: z.object({ tree: queryTreeSchema, words: z.string(), notices: z.array(z.string()), sha256: z.string().nullable() }),
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      name: z.string(),
      status: z.enum(searchNodeStatuses),
      answeredAt: iso.nullable(),
      unsupportedKeys: z.array(z.string()),
      error: nodeError.nullable(),
      obfuscation: obfuscationSchema.nullable(),
      obfuscationNote: z.string().nullable(),
      datasets: z.array(z.object({ id: z.string(), name: z.string(), subjects_count: z.number().int(), studies_count: z.number().int() })),
      total: counts.nullable(),
    }),
  ),
  total: counts,
});
