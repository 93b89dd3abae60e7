import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIdSchema } from '../../shared/processing/run.ts';

export interface RunSandbox {
  root: string;
  /** Materialised inputs, mounted read-only at /input. */
  input: string;
  /** The only place the tool can write, mounted at /output. */
  output: string;
  /** The checked parameters as JSON, mounted read-only at /params.json. */
  paramsFile: string;
}

export const sandboxPathOf = (sandboxDir: string, runId: string) => join(sandboxDir, runIdSchema.parse(runId));

/**
 * A fresh folder per run under SANDBOX_PATH; whatever an earlier attempt left there is removed
 * first, so no run ever sees another's files. The run folder is private to the bridge; the tool
 * reaches only its three mounts.
 */
export async function createSandbox(sandboxDir: string, runId: string, paramsJson: string): Promise<RunSandbox> {
  const root = sandboxPathOf(sandboxDir, runId);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true, mode: 0o700 });
  const box = { root, input: join(root, 'input'), output: join(root, 'output'), paramsFile: join(root, 'params.json') };
  await mkdir(box.input, { mode: 0o755 });
  await mkdir(box.output);
  // The tool runs as an unprivileged uid that owns nothing here; the folder is only reachable
  // through its mount, so opening it to that uid opens it to no one else.
  await chmod(box.output, 0o777);
  await writeFile(box.paramsFile, paramsJson, { mode: 0o644 });
  return box;
}

export async function wipeSandbox(sandboxDir: string, runId: string): Promise<void> {
  await rm(sandboxPathOf(sandboxDir, runId), { recursive: true, force: true });
}
