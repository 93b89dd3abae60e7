import { constants } from 'node:fs';
import { access, readFile, readdir, rename, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { type SchemaDecision, decideSchema, migrate } from './schema-version.ts';
import { BRIDGE_VERSION } from './version.ts';

/**
 * STATE_DIR's own schema. Schema 1 is the layout the bridge has kept since it first had a state
 * folder: index.sqlite (index and noise cache), handled-jobs.jsonl, runs/, run-reports/, and
 * status.json; a folder from before versioning holds the same files and only gains the version file.
 */
export const STATE_SCHEMA = 1;
export const STATE_VERSION_FILE = 'state-version.json';

const versionSchema = z.object({ schema: z.number().int().min(1), writtenBy: z.string().max(64).optional() });

const MIGRATIONS: Record<number, (dir: string) => Promise<void>> = {
  // Before versioning: the files were already where schema 1 keeps them.
  0: async () => {},
};

export interface StateDirReport {
  path: string;
  exists: boolean;
  writable: boolean;
  schema?: number;
  writtenBy?: string;
  freeBytes?: number;
  /** What start will do with it (create, migrate, nothing); absent when it cannot be used. */
  decision?: SchemaDecision;
  /** The first problem, worded for the site admin, naming STATE_DIR. */
  problem?: string;
}

/** Looks at STATE_DIR without writing anything: what `doctor` shows and what `start` checks first. */
export async function inspectStateDir(path: string): Promise<StateDirReport> {
  const report: StateDirReport = { path, exists: false, writable: false };
  try {
    if (!(await stat(path)).isDirectory()) return { ...report, problem: `STATE_DIR ${path}: is not a folder` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ...report,
      problem:
        code === 'ENOENT'
          ? `STATE_DIR ${path}: does not exist; create it (writable by the bridge's user) or mount the state volume there`
          : `STATE_DIR ${path}: cannot be read (${code})`,
    };
  }
  report.exists = true;
  report.writable = await access(path, constants.W_OK | constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  const s = await statfs(path).catch(() => undefined);
  if (s) report.freeBytes = s.bavail * s.bsize;
  if (!report.writable)
    return {
      ...report,
      problem: `STATE_DIR ${path}: the bridge's user (uid ${process.getuid?.() ?? '?'}) cannot write here; fix the owner or mode`,
    };
  const text = await readFile(join(path, STATE_VERSION_FILE), 'utf8').catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? undefined : Promise.reject(err),
  );
  let found: { schema?: number; writtenBy?: string } = {};
  if (text !== undefined) {
    const parsed = versionSchema.safeParse(JSON.parse(text || 'null'));
    if (!parsed.success)
      return { ...report, problem: `STATE_DIR ${path}: ${STATE_VERSION_FILE} is damaged; restore the folder from a backup` };
    found = parsed.data;
  }
  const entries = await readdir(path);
  try {
    report.decision = decideSchema(
      { schema: found.schema, writtenBy: found.writtenBy, hasContent: entries.some((e) => !e.startsWith('.')) },
      STATE_SCHEMA,
      { what: 'bridge state', setting: 'STATE_DIR', path },
    );
  } catch (err) {
    if (err instanceof ConfigError) return { ...report, ...found, problem: err.problems[0] };
    throw err;
  }
  return { ...report, ...found };
}

/** Refuses a STATE_DIR the bridge cannot use (missing, read-only, from a newer bridge): ConfigError, nothing written. */
export async function checkStateDir(path: string): Promise<StateDirReport> {
  const report = await inspectStateDir(path);
  if (report.problem) throw new ConfigError([report.problem]);
  return report;
}

/** Brings STATE_DIR to the current schema (after checkStateDir): migrations in order, then the version file, atomically. */
export async function prepareStateDir(report: StateDirReport): Promise<{ migratedFrom?: number }> {
  const decision = report.decision;
  // The mark names the last bridge that wrote here, so a later downgrade's refusal can say which.
  if (!decision || (decision.action === 'current' && report.writtenBy === BRIDGE_VERSION)) return {};
  if (decision.action === 'migrate') await migrate(decision.from, STATE_SCHEMA, mapSteps(report.path));
  const file = join(report.path, STATE_VERSION_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ schema: STATE_SCHEMA, writtenBy: BRIDGE_VERSION })}\n`, { mode: 0o600 });
  await rename(temp, file);
  return decision.action === 'migrate' ? { migratedFrom: decision.from } : {};
}

const mapSteps = (dir: string) => Object.fromEntries(Object.entries(MIGRATIONS).map(([k, f]) => [Number(k), () => f(dir)]));
