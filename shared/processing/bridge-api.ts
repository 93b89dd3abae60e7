import { z } from 'zod';
import { runIdSchema, runOutcomeSchema } from './run.ts';

/**
 * The bridge ↔ hub contract of federated processing. Jobs (`processing.run`, `processing.cancel`)
 * come through the signed job channel (shared/job-protocol.ts); everything below goes from the
 * bridge to the hub with a node token (shared/node-auth.ts), under `/api/v1/bridge`.
 *
 *   POST /api/v1/bridge/health                    body NodeHealth (./health.ts), every 30 s  → 204
 *   GET  /api/v1/bridge/revoked-grants            → RevokedGrants, asked before every run
 *   POST /api/v1/bridge/runs/{runId}/status       body RunStatusReport                        → 204
 *   POST /api/v1/bridge/runs/{runId}/uploads      body UploadRequest → UploadGrant (one URL per file)
 *   PUT  <url from the grant>                     the file's bytes (a pre-signed S3 URL, or the
 *                                                 hub's own upload endpoint in the embedded default)
 *
 * A run job is acknowledged as soon as the bridge has claimed the run; from then on the run's
 * state travels only through `status`, so a run longer than any lease is never redelivered.
 */

export const runStatusReportSchema = z.discriminatedUnion('state', [
  /** Taken and kept by the node (restart-proof), waiting for one of its run slots (PROCESSING_MAX_RUNS). */
  z.object({ state: z.literal('queued'), queuedAt: z.number().int() }).strict(),
  /** The container started (or the run was claimed after a restart and is being closed). */
  z.object({ state: z.literal('running'), startedAt: z.number().int() }).strict(),
  /** Final: the outcome of this node's part; reporting the same outcome twice is harmless. */
  z.object({ state: z.literal('ended'), outcome: runOutcomeSchema }).strict(),
]);
export type RunStatusReport = z.infer<typeof runStatusReportSchema>;

export const uploadKindSchema = z.enum(['log', 'output']);
export type UploadKind = z.infer<typeof uploadKindSchema>;

/** Relative `/`-separated path, as the bridge's output check accepted it. */
export const uploadPathSchema = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a relative path of letters, digits, . _ -')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'no . or .. segments');

export const uploadRequestSchema = z
  .object({
    files: z
      .array(
        z
          .object({
            kind: uploadKindSchema,
            path: uploadPathSchema,
            bytes: z.number().int().nonnegative(),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

export const uploadGrantSchema = z.object({
  uploads: z.array(
    z.object({
      kind: uploadKindSchema,
      path: uploadPathSchema,
      method: z.literal('PUT'),
      url: z.string().url(),
      /** Headers the PUT must carry exactly (content length, checksum, ...). */
      headers: z.record(z.string(), z.string()),
      expiresAt: z.number().int(),
    }),
  ),
});
export type UploadGrant = z.infer<typeof uploadGrantSchema>;

export const cancelRunPayloadSchema = z.object({ runId: runIdSchema }).strict();

/**
 * Grants revoked and not yet expired. A signed grant cannot show its own revocation, and a run job
 * may wait in a queue while an admin revokes one, so the node asks right before it runs anything.
 */
export const revokedGrantsSchema = z.object({ revoked: z.array(z.string().max(100)).max(100_000) });
export type RevokedGrants = z.infer<typeof revokedGrantsSchema>;
