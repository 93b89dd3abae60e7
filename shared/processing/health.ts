import { z } from 'zod';
import { imageDigestSchema, toolIdSchema } from './tool.ts';

/**
 * A node's health report (issue 7, item 1): what the "EUCAIM network" page shows per node. Every
 * check carries its own result, so one failing probe (no nvidia-smi, hub unreachable) never hides
 * the others.
 */

const bytes = z.number().int().nonnegative();
const problem = z.string().max(500);

export const pathCheckSchema = z
  .object({
    exists: z.boolean(),
    /** Data only: true when the bridge cannot write it (read-only mount or no write permission). */
    readOnly: z.boolean().optional(),
    /** Sandbox only: true when the bridge can create files in it. */
    writable: z.boolean().optional(),
    freeBytes: bytes.optional(),
    totalBytes: bytes.optional(),
    error: problem.optional(),
  })
  .strict();

export const toolReadinessSchema = z
  .object({
    toolId: toolIdSchema,
    digest: imageDigestSchema,
    /** The image with the approved digest is on the node. */
    present: z.boolean(),
    /** Present, and the local tag (when the approval names one) resolves to the same image. */
    ready: z.boolean(),
    problem: z.enum(['image_missing', 'digest_mismatch', 'engine_unreachable']).optional(),
  })
  .strict();
export type ToolReadiness = z.infer<typeof toolReadinessSchema>;

export const nodeHealthSchema = z
  .object({
    version: z.string().max(64),
    collectedAt: z.number().int(),
    hub: z
      .object({
        online: z.boolean(),
        responseMs: z.number().nonnegative().optional(),
        /** Node clock minus hub clock (from the hub's Date header), whole seconds. */
        clockSkewSeconds: z.number().optional(),
        error: problem.optional(),
      })
      .strict(),
    cpu: z
      .object({
        count: z.number().int().positive(),
        load1: z.number().nonnegative(),
        load5: z.number().nonnegative(),
        load15: z.number().nonnegative(),
      })
      .strict(),
    memory: z.object({ totalBytes: bytes, availableBytes: bytes }).strict(),
    gpus: z
      .object({
        count: z.number().int().nonnegative(),
        source: z.enum(['nvidia-smi', 'none']),
        devices: z.array(z.object({ model: z.string().max(200), memoryBytes: bytes.optional() }).strict()).max(64),
        error: problem.optional(),
      })
      .strict(),
    engine: z
      .object({
        reachable: z.boolean(),
        name: z.string().max(100).optional(),
        version: z.string().max(100).optional(),
        apiVersion: z.string().max(20).optional(),
        error: problem.optional(),
      })
      .strict(),
    paths: z.object({ data: pathCheckSchema, sandbox: pathCheckSchema }).strict(),
    tools: z.array(toolReadinessSchema).max(500),
    tls: z
      .object({
        checked: z.boolean(),
        /** False for plain http: nothing to check, and the page should say so. */
        https: z.boolean(),
        daysLeft: z.number().optional(),
        validTo: z.string().max(100).optional(),
        authorized: z.boolean().optional(),
        error: problem.optional(),
      })
      .strict(),
  })
  .strict();
export type NodeHealth = z.infer<typeof nodeHealthSchema>;

/** Whether a node's health report says this tool image is pulled and ready: the hub's dispatch rule, shown by the web app. */
export const toolReadyOn = (report: Pick<NodeHealth, 'tools'> | undefined, tool: { id: string; image: { digest: string } }): boolean =>
  report?.tools.some((t) => t.toolId === tool.id && t.digest === tool.image.digest && t.ready) ?? false;
