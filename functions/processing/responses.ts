// What the processing routes answer, as schemas: the API description shows them, and the router
// checks at compile time that each handler's JSON fits (functions/api/hub-router.ts).
import { z } from 'zod';
import { accessConditions } from '../../shared/negotiation/grant.ts';
import { outputRejectionReasons, parameterValueSchema, runReasonCodes } from '../../shared/processing/run.ts';
import { toolApprovalSchema } from '../../shared/processing/tool.ts';

const iso = z.iso.datetime();
export const runNodeStates = [
  'pending',
  'dispatched',
  'queued',
  'running',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'not_allowed',
] as const;
export const runStates = ['pending', 'running', 'cancelling', 'completed', 'partial', 'failed', 'cancelled'] as const;

export const toolListSchema = z.object({
  tools: z.array(
    toolApprovalSchema.safeExtend({
      approvedBy: z.string(),
      createdAt: iso,
      /** The nodes that allow this version. */
      nodes: z.array(z.string()),
    }),
  ),
  /** Where the caller may switch tools on and off. */
  myNodes: z.array(z.string()),
});

export const nodeToolSchema = z.object({ nodeId: z.string(), toolId: z.string(), version: z.string(), allowed: z.boolean() });

export const runSummarySchema = z.object({
  id: z.string(),
  owner: z.string(),
  tool: z.object({ id: z.string(), version: z.string() }),
  createdAt: iso,
  state: z.enum(runStates),
  nodes: z.array(z.object({ nodeId: z.string(), state: z.enum(runNodeStates) })),
});

export const runViewSchema = z.object({
  id: z.string(),
  owner: z.string(),
  tool: z.object({ id: z.string(), version: z.string(), description: z.string().nullable(), docsUrl: z.string().nullable() }),
  parameters: z.record(z.string(), parameterValueSchema),
  inputs: z.array(z.string()),
  createdAt: iso,
  cancelRequestedAt: iso.nullable(),
  state: z.enum(runStates),
  nodes: z.array(
    z.object({
      nodeId: z.string(),
      state: z.enum(runNodeStates),
      datasets: z.array(z.string()),
      reason: z.object({ code: z.enum(runReasonCodes), message: z.string() }).nullable(),
      exitCode: z.number().int().nullable(),
      startedAt: iso.nullable(),
      endedAt: iso.nullable(),
      outputs: z.array(z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string() })),
      rejected: z.array(z.object({ path: z.string(), reason: z.enum(outputRejectionReasons), bytes: z.number().int().optional() })),
      /** The log's file name (like the seed's `fl-trainer_<node>.log`), once the node sent one. */
      log: z.string().nullable(),
    }),
  ),
});

export const cancelledRunSchema = runViewSchema.extend({ cancelJobs: z.array(z.string()) });

export const processableDatasetsSchema = z.object({
  datasets: z.array(
    z.object({ datasetId: z.string(), title: z.string(), nodeId: z.string().nullable(), access: z.enum(accessConditions), expiresAt: iso }),
  ),
});
