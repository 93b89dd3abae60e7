// The peers' own artefacts, read from ../shared/conformance beside the repository (see its README):
// the queries Lens and Focus ship as test cases, the EUCAIM explorer's catalogue, a captured answer of
// the real mediator, the official DCAT-AP SHACL shapes (SEMICeu) and the FAIR Data Point reference
// server's default shapes. Suites that need them are skipped, saying why, where the folder is absent;
// CI always has it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, type Quad } from 'n3';

export const CONFORMANCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance');
export const hasConformance = existsSync(path.join(CONFORMANCE_DIR, 'explorer-queries'));
export const NO_CONFORMANCE = `skipped: ${CONFORMANCE_DIR} (the peers' conformance files) is not there`;
export const conformanceMissing: string | null = existsSync(CONFORMANCE_DIR)
  ? null
  : `the conformance data (${CONFORMANCE_DIR}) is absent: the official shapes cannot be read`;

export const readConformanceFile = (relative: string) => readFileSync(path.join(CONFORMANCE_DIR, relative), 'utf8');

export function readConformance<T = unknown>(relative: string): T {
  return JSON.parse(readConformanceFile(relative)) as T;
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
    const dir = path.join(CONFORMANCE_DIR, 'explorer-queries', client);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      let json = readConformance<Record<string, unknown>>(path.join('explorer-queries', client, file));
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

/** A set of shape documents, and whether its violations fail a record or are only reported. */
export interface ShapeSet {
  name: string;
  files: string[];
  enforced: boolean;
}

const dcat301 = (f: string) => `dcat-ap/3.0.1/${f}`;
const dcat211 = (f: string) => `dcat-ap/2.1.1/dcat-ap_2.1.1_shacl_${f}.ttl`;
const fdp = (f: string) => `fdp-reference-shapes/shape-${f}.ttl`;

/**
 * The official shape sets. DCAT-AP 3.0.1: `shacl/dcat-ap-SHACL.ttl` (base) and `shacl/ranges.ttl`
 * (range); 2.1.1: `shapes` and `range`; both with the recommended shapes reported, not enforced.
 * The controlled-vocabulary shapes (mdr-vocabularies) need the EU authority tables imported, which
 * this folder does not hold: they are left out. The FDP reference set is every default shape of
 * the reference server (its navigation shapes describe harvesting, not records).
 */
export const SHAPE_SETS: ShapeSet[] = [
  { name: 'DCAT-AP 3.0.1 base', files: [dcat301('dcat-ap-SHACL.ttl')], enforced: true },
  { name: 'DCAT-AP 3.0.1 range', files: [dcat301('ranges.ttl')], enforced: true },
  { name: 'DCAT-AP 3.0.1 recommended', files: [dcat301('html-shapes_recommended.ttl')], enforced: false },
  { name: 'DCAT-AP 2.1.1 base', files: [dcat211('shapes')], enforced: true },
  { name: 'DCAT-AP 2.1.1 range', files: [dcat211('range')], enforced: true },
  { name: 'DCAT-AP 2.1.1 recommended', files: [dcat211('shapes_recommended')], enforced: false },
  {
    name: 'FAIR Data Point reference',
    files: ['resource', 'fdp', 'metadata-service', 'data-service', 'catalog', 'dataset', 'distribution'].map(fdp),
    enforced: true,
  },
];

const cache = new Map<string, Quad[]>();

/** The quads of one shape set, each file parsed on its own so blank node labels cannot collide. */
export function shapeSetQuads(set: ShapeSet): Quad[] {
  const hit = cache.get(set.name);
  if (hit) return hit;
  const quads = set.files.flatMap((f) => new Parser({ format: 'text/turtle' }).parse(readConformanceFile(f)));
  cache.set(set.name, quads);
  return quads;
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
