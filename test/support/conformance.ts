import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The peers' own artefacts (`../shared/conformance/`, beside the repository): the queries Lens and
 * Focus ship as test cases, the EUCAIM explorer's catalogue, a captured answer of the real mediator.
 * Suites that need them are skipped, saying why, where the folder is absent; CI always has it.
 */
export const CONFORMANCE_DIR = resolve('../shared/conformance');
export const hasConformance = existsSync(join(CONFORMANCE_DIR, 'explorer-queries'));
export const NO_CONFORMANCE = `skipped: ${CONFORMANCE_DIR} (the peers' conformance files) is not there`;

export function readConformance<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, path), 'utf8')) as T;
}

export interface ExplorerQuery {
  /** `lens/<file>` or `focus/<file>`. */
  name: string;
  /** The tree exactly as the client built it. */
  ast: unknown;
  /** The `{ast, id}` body as the client posts it (Lens's bare trees get no id). */
  body: { ast: unknown; id?: string };
}

/**
 * Every query under `explorer-queries/`: Lens's bare trees, Focus's `{ast, id}` bodies, and the
 * README's whole Beam task unwrapped as Focus unwraps it (base64 body → `{lang, query}` → base64
 * query → `{ast, id}`).
 */
export function explorerQueries(): ExplorerQuery[] {
  const out: ExplorerQuery[] = [];
  for (const client of ['lens', 'focus']) {
    const dir = join(CONFORMANCE_DIR, 'explorer-queries', client);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      let json = readConformance<Record<string, unknown>>(join('explorer-queries', client, file));
      if (file.endsWith('.beam-task.json')) {
        const task = JSON.parse(Buffer.from(json.body as string, 'base64').toString('utf8')) as { lang: string; query: string };
        json = JSON.parse(Buffer.from(task.query, 'base64').toString('utf8'));
      }
      const body = 'ast' in json ? (json as { ast: unknown; id?: string }) : { ast: json };
      out.push({ name: `${client}/${file}`, ast: body.ast, body });
    }
  }
  return out;
}

/**
 * What the EUCAIM explorer reads of a provider answer, as `path: type` (eucaim-frontend `src/Types/types.ts`
 * and the result table, which prints `age_range.min` / `.max` and `.join`s `gender`, `body_parts` and
 * `modality` or `modalities`): the real providers' answers (`eucaim-explorer/mock_provider_*.json`) and
 * the hub's must give the same. `null` where the explorer reads a field is its own type here, so it fails.
 */
export function explorerReadShape(answer: unknown): Record<string, string> {
  const type = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? `${v.map(type).sort().at(0) ?? 'string'}[]` : typeof v);
  const a = answer as Record<string, unknown>;
  const shape: Record<string, Set<string>> = {};
  const see = (path: string, v: unknown) => {
    shape[path] ??= new Set();
    shape[path].add(type(v));
  };
  see('provider', a.provider);
  see('provider_icon', a.provider_icon);
  shape.collections = new Set([Array.isArray(a.collections) ? 'array' : type(a.collections)]);
  for (const c of (Array.isArray(a.collections) ? a.collections : []) as Record<string, unknown>[]) {
    for (const k of ['id', 'name', 'description', 'studies_count', 'subjects_count', 'gender', 'body_parts']) see(k, c[k]);
    const ages = c.age_range as Record<string, unknown> | null | undefined;
    see('age_range', ages);
    see('age_range.min', ages?.min);
    see('age_range.max', ages?.max);
    // The table shows whichever of the two it finds: one must be there.
    see('modality or modalities', c.modality ?? c.modalities);
  }
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, [...v].sort().join(' | ')]));
}
