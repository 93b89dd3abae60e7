import { z } from 'zod';
import { nodeIdSchema } from '../node-auth.ts';
import { toolIdSchema } from './tool.ts';

/** The run job a node receives, and the outcome it reports back for its part of the run. */

export const runIdSchema = z.string().regex(/^run_[0-9a-hjkmnp-tv-z]{26}$/, 'not a run id');

// Names as they appear in the materialised layout (see bridge/processing/layout.ts): no separators,
// no `.`/`..`, so a URI can never point outside the dataset it names.
const segment = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/, 'bad path segment')
  .refine((s) => s !== '.' && s !== '..');

export interface DatasetUri {
  nodeId: string;
  dataset: string;
  /** subject[/experiment[/scan]] within the dataset; empty = the whole dataset. */
  path: string[];
}

/** `node_id:dataset[/subject[/experiment[/scan]]]`, as the seed's workspace registers granted datasets. */
export const datasetUriSchema = z
  .string()
  .max(1000)
  .transform((uri, ctx): DatasetUri => {
    const colon = uri.indexOf(':');
    const nodeId = nodeIdSchema.safeParse(uri.slice(0, colon));
    const parts = uri.slice(colon + 1).split('/');
    const ok = colon > 0 && nodeId.success && parts.length <= 4 && parts.every((p) => segment.safeParse(p).success);
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: 'must be node_id:dataset[/subject[/experiment[/scan]]]' });
      return z.NEVER;
    }
    return { nodeId: uri.slice(0, colon), dataset: parts[0] as string, path: parts.slice(1) };
  });

export const parameterValueSchema = z.union([z.string().max(10_000), z.number().finite(), z.boolean()]);

export const runJobPayloadSchema = z
  .object({
    runId: runIdSchema,
    /** The researcher's OIDC subject: every grant must be theirs. */
    user: z.string().min(1).max(255),
    /** The node checks these against its own approval list; the hub's copy of the tool is not trusted. */
    tool: z.object({ id: toolIdSchema, version: z.string().min(1).max(64), digest: z.string().regex(/^sha256:[0-9a-f]{64}$/) }).strict(),
    parameters: z.record(z.string().max(64), parameterValueSchema).refine((p) => Object.keys(p).length <= 100, 'too many parameters'),
    inputs: z.array(z.string().max(1000)).min(1).max(100),
    /** Signed grant statements (EdDSA JWS), one per dataset at least; checked again at the node. */
    grants: z.array(z.string().max(10_000)).max(100),
    /** May shorten the approved timeout, never lengthen it. */
    timeoutSeconds: z.number().int().positive().optional(),
  })
  .strict();
export type RunJobPayload = z.infer<typeof runJobPayloadSchema>;

export const runStates = ['completed', 'failed', 'timed_out', 'cancelled', 'not_allowed'] as const;
export type RunState = (typeof runStates)[number];

/** Why a run did not complete; fixed codes with fixed messages, so no local detail leaves the node. */
export const runReasonCodes = [
  'tool_not_approved',
  'tool_not_ready',
  'parameters_invalid',
  'inputs_invalid',
  'grant_invalid',
  'gpus_unavailable',
  'memory_limit',
  'exit_nonzero',
  'timeout',
  'cancelled',
  'engine_error',
  'sandbox_error',
  'upload_failed',
  'bridge_restarted',
  /** The bridge was stopped (SIGTERM, an orderly stop) while the tool ran: its container was stopped. */
  'bridge_stopped',
  /** The node runs no tools at all (its bridge has no SANDBOX_PATH). */
  'processing_disabled',
] as const;
export type RunReasonCode = (typeof runReasonCodes)[number];

export const outputRejectionReasons = ['not_allowed', 'too_large', 'total_too_large', 'too_many_files', 'symlink', 'not_a_file'] as const;
export type OutputRejectionReason = (typeof outputRejectionReasons)[number];

const relPath = z.string().max(1000);

export const runOutcomeSchema = z
  .object({
    runId: runIdSchema,
    nodeId: nodeIdSchema,
    state: z.enum(runStates),
    reason: z
      .object({ code: z.enum(runReasonCodes), message: z.string().max(2000) })
      .strict()
      .optional(),
    exitCode: z.number().int().nullable(),
    startedAt: z.number().int(),
    finishedAt: z.number().int(),
    inputFiles: z.number().int().nonnegative(),
    logs: z
      .object({
        stdoutBytes: z.number().int().nonnegative(),
        stderrBytes: z.number().int().nonnegative(),
        keptBytes: z.number().int().nonnegative(),
        truncated: z.boolean(),
      })
      .strict(),
    outputs: z
      .object({
        accepted: z
          .array(z.object({ path: relPath, bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
          .max(10_000),
        rejected: z
          .array(
            z.object({ path: relPath, reason: z.enum(outputRejectionReasons), bytes: z.number().int().nonnegative().optional() }).strict(),
          )
          .max(10_000),
      })
      .strict(),
  })
  .strict()
  .refine((o) => (o.state === 'completed') === (o.reason === undefined), {
    message: 'a reason goes with every state but completed',
    path: ['reason'],
  });
export type RunOutcome = z.infer<typeof runOutcomeSchema>;
