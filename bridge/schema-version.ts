import { ConfigError } from './config-error.ts';
import { BRIDGE_VERSION } from './version.ts';

/**
 * One rule for every store the bridge keeps across versions (the state folder; the index can use it
 * with SQLite's user_version): an empty store is created at the current schema, an older one is
 * migrated step by step, a newer one — left by a newer bridge before a downgrade — is refused, naming
 * the setting, before anything is written. Downgrading would otherwise read data it cannot understand.
 */
export type SchemaDecision = { action: 'create' } | { action: 'current' } | { action: 'migrate'; from: number };

export interface SchemaFound {
  /** The schema the store says it has; undefined when it says nothing. */
  schema: number | undefined;
  /** Whether the store holds anything (a store from before versioning holds data but no schema). */
  hasContent: boolean;
  writtenBy?: string;
}

export function decideSchema(
  found: SchemaFound,
  current: number,
  describe: { what: string; setting: string; path: string },
): SchemaDecision {
  if (found.schema === undefined) return found.hasContent ? { action: 'migrate', from: 0 } : { action: 'create' };
  if (found.schema === current) return { action: 'current' };
  if (found.schema < current) return { action: 'migrate', from: found.schema };
  const by = found.writtenBy ? ` written by bridge ${found.writtenBy}` : '';
  throw new ConfigError([
    `${describe.setting} ${describe.path}: holds ${describe.what} schema ${found.schema}${by}; this bridge (${BRIDGE_VERSION}) reads up to schema ${current}. Run that bridge version or a newer one, or point ${describe.setting} at a copy made before the upgrade`,
  ]);
}

/** Runs the migrations from `from` up to `current` in order; `steps[n]` turns schema n into n + 1. */
export async function migrate(from: number, current: number, steps: Record<number, () => Promise<void>>): Promise<void> {
  for (let v = from; v < current; v++) {
    const step = steps[v];
    if (!step) throw new Error(`no migration from schema ${v}`);
    await step();
  }
}
