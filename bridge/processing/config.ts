import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { type ToolApproval, toolApprovalSchema } from '../../shared/processing/tool.ts';

const MiB = 1024 * 1024;

/** Processing settings from the environment; processing is on only when SANDBOX_PATH is set. */
const envSchema = z.object({
  SANDBOX_PATH: z.string().min(1),
  CONTAINER_SOCKET: z.string().min(1).default('/var/run/docker.sock'),
  TOOLS_FILE: z.string().min(1),
  // A uid:gid, never 0: the tool must not be root even if the image says so.
  TOOL_USER: z
    .string()
    .regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}$/, 'must be uid:gid, both non-zero')
    .default('65534:65534'),
  RUN_LOG_CAP_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * MiB)
    .default(MiB),
  NVIDIA_SMI: z.string().min(1).default('nvidia-smi'),
  // Runs at once; a node usually has one GPU, so one by default. More wait, durably, in arrival order.
  PROCESSING_MAX_RUNS: z.coerce.number().int().min(1).max(64).default(1),
});

/** The names of processing's settings (for the bridge's settings file). */
export const PROCESSING_SETTINGS = Object.keys(envSchema.shape);

export interface ProcessingConfig {
  sandboxDir: string;
  socketPath: string;
  toolsFile: string;
  toolUser: string;
  logCapBytes: number;
  nvidiaSmi: string;
  maxRuns: number;
}

/** Undefined when processing is off; otherwise the settings, or an error naming each bad one. */
export function loadProcessingConfig(env: Record<string, string | undefined>): ProcessingConfig | undefined {
  const parsed = parseProcessingEnv(env);
  if (parsed.problems.length > 0) throw new Error(`invalid processing configuration: ${parsed.problems.join('; ')}`);
  return parsed.config;
}

/** The same, with the problems as a list (one per setting) for the bridge's own configuration error. */
export function parseProcessingEnv(env: Record<string, string | undefined>): { config?: ProcessingConfig; problems: string[] } {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  if (set.SANDBOX_PATH === undefined) return { problems: [] };
  const parsed = envSchema.safeParse(set);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((i) => `${i.path.join('.')} ${set[String(i.path[0])] === undefined ? 'is missing' : i.message}`),
    };
  const e = parsed.data;
  return {
    problems: [],
    config: {
      sandboxDir: resolve(e.SANDBOX_PATH),
      socketPath: e.CONTAINER_SOCKET,
      toolsFile: resolve(e.TOOLS_FILE),
      toolUser: e.TOOL_USER,
      logCapBytes: e.RUN_LOG_CAP_BYTES,
      nvidiaSmi: e.NVIDIA_SMI,
      maxRuns: e.PROCESSING_MAX_RUNS,
    },
  };
}

/** The tools this node's administrator approved: a JSON array of approvals, all checked or none taken. */
export async function loadApprovedTools(file: string): Promise<ToolApproval[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = z.array(toolApprovalSchema).max(500).safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const ids = parsed.data.map((t) => `${t.id}@${t.version}`);
  if (new Set(ids).size !== ids.length) throw new Error(`${file}: a tool version is approved twice`);
  return parsed.data;
}
