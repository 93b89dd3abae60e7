import { z } from 'zod';

/**
 * A tool as a node holds its approval: everything the bridge needs to decide, on its own, whether
 * and how a container may run. Nothing here is ever evaluated; parameters are typed values only.
 */

/** An image id or manifest digest; the only way a tool image is named when it runs. */
export const imageDigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 lowercase hex>');

// Parameter names become environment variables (PARAM_<NAME>): keep them to a shell-safe alphabet.
const parameterName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lowercase letters, digits and _');

const numberBounds = { min: z.number().finite().optional(), max: z.number().finite().optional() };
const base = { name: parameterName, description: z.string().max(1000).optional(), required: z.boolean().default(false) };

export const parameterSpecSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        ...base,
        type: z.literal('string'),
        maxLength: z.number().int().min(1).max(10_000).default(256),
        pattern: z.string().max(500).optional(),
        default: z.string().optional(),
      })
      .strict(),
    z.object({ ...base, type: z.literal('integer'), ...numberBounds, default: z.number().int().optional() }).strict(),
    z.object({ ...base, type: z.literal('number'), ...numberBounds, default: z.number().finite().optional() }).strict(),
    z.object({ ...base, type: z.literal('boolean'), default: z.boolean().optional() }).strict(),
    z
      .object({
        ...base,
        type: z.literal('enum'),
        choices: z.array(z.string().min(1).max(200)).min(1).max(100),
        default: z.string().optional(),
      })
      .strict(),
  ])
  .refine((p) => !('min' in p && 'max' in p && p.min !== undefined && p.max !== undefined) || p.min <= p.max, {
    message: 'min is above max',
  })
  .refine((p) => p.type !== 'enum' || p.default === undefined || p.choices.includes(p.default), {
    message: 'default is not one of the choices',
  });
export type ParameterSpec = z.infer<typeof parameterSpecSchema>;

/** Globs relative to the output folder: `*` and `?` stay within a segment, `**` spans segments. */
export const outputGlobSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._*?/-]+$/, 'only letters, digits, . _ - / * ?')
  .refine(
    (g) => !g.startsWith('/') && !g.split('/').some((s) => s === '..' || s === '.' || s === ''),
    'must be relative, without . or .. segments',
  );

const MiB = 1024 * 1024;
export const outputPolicySchema = z
  .object({
    /** Empty allows nothing: a tool must name what it may bring back. */
    allow: z.array(outputGlobSchema).max(50),
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .max(10 * 1024 * MiB),
    maxTotalBytes: z
      .number()
      .int()
      .positive()
      .max(50 * 1024 * MiB),
    maxFiles: z.number().int().positive().max(10_000).default(100),
  })
  .strict();
export type OutputPolicy = z.infer<typeof outputPolicySchema>;

export const flavourSchema = z
  .object({
    cpus: z.number().positive().max(256),
    memoryBytes: z
      .number()
      .int()
      .min(16 * MiB)
      .max(1024 * 1024 * MiB),
    pids: z.number().int().min(8).max(100_000).default(256),
    gpus: z.number().int().min(0).max(16).default(0),
    tmpBytes: z
      .number()
      .int()
      .min(MiB)
      .max(64 * 1024 * MiB)
      .default(64 * MiB),
  })
  .strict();
export type Flavour = z.infer<typeof flavourSchema>;

export const toolIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a lowercase tool id');

export const toolApprovalSchema = z
  .object({
    id: toolIdSchema,
    version: z.string().min(1).max(64),
    image: z
      .object({
        /** For people and for readiness checks (does the local tag still point at the digest?); never run by it. */
        reference: z.string().min(1).max(300).optional(),
        digest: imageDigestSchema,
      })
      .strict(),
    description: z.string().max(2000).optional(),
    /** Where people read how to use the tool (the seed's tool pages); shown, never fetched. */
    docsUrl: z
      .string()
      .url()
      .max(500)
      .regex(/^https?:\/\//, 'must be an http(s) link')
      .optional(),
    parameters: z.array(parameterSpecSchema).max(100),
    /** Which datasets a run may get: at least one input, at most this many. */
    inputs: z.object({ min: z.number().int().min(0).default(1), max: z.number().int().min(1).max(100).default(10) }).strict(),
    outputs: outputPolicySchema,
    flavour: flavourSchema,
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600),
  })
  .strict()
  .refine((t) => new Set(t.parameters.map((p) => p.name)).size === t.parameters.length, {
    message: 'parameter names repeat',
    path: ['parameters'],
  });
export type ToolApproval = z.infer<typeof toolApprovalSchema>;
export type ToolApprovalInput = z.input<typeof toolApprovalSchema>;
