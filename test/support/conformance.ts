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
