import { z } from 'zod';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { SafeJobError } from '../job-handler.ts';
import type { Obfuscator } from './obfuscate.ts';

const count = z.number().int().nonnegative();
const codes = z.array(z.string().max(64)).max(100).optional();

/** The answer of today's EUCAIM mediators; `modality` is the older spelling of `modalities`. */
export const mediatorAnswerSchema = z.object({
  collections: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        name: z.string().max(500),
        description: z.string().max(2000).nullable().optional(),
        studies_count: count,
        subjects_count: count,
        age_range: z.object({ min: z.number(), max: z.number() }).nullable().optional(),
        gender: codes,
        modalities: codes,
        modality: codes,
        body_parts: codes,
        manufacturers: codes,
      }),
    )
    .max(1000),
  total: z.object({ studies_count: count, subjects_count: count }).optional(),
});

export interface MediatorSettings {
  url: string;
  secret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const fail = (message: string) => new SafeJobError('mediator_failed', message);

async function call(settings: MediatorSettings, query: QueryNode): Promise<unknown> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(`${settings.url}/api/datasets/eucaimSearch`, {
      method: 'POST',
      headers: { authorization: `Secret ${settings.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(query),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw fail(`the local mediator did not answer within ${settings.timeoutMs} ms`);
    throw fail('the local mediator could not be reached');
  }
  if (!res.ok) throw fail(`the local mediator answered HTTP ${res.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw fail('the local mediator answered with something that is not JSON');
  }
}

/**
 * For nodes that already run their own mediator: the bridge forwards the query tree and passes the
 * answer on — validated, and obfuscated like its own. The mediator's stratified lists cannot be
 * checked for small groups (their sizes are unknown here), so they are dropped when obfuscating.
 */
export async function askMediator(settings: MediatorSettings, query: QueryNode, obf: Obfuscator): Promise<CountResult> {
  const parsed = mediatorAnswerSchema.safeParse(await call(settings, query));
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw fail(`the local mediator's answer does not have the expected shape (at ${where})`);
  }
  const answer = parsed.data;
  const exact = !obf.enabled;
  const collections = answer.collections.map((c) => ({
    id: c.id,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    studies_count: obf.count(c.studies_count, `${c.id}:studies`),
    subjects_count: obf.count(c.subjects_count, `${c.id}:subjects`),
    ...(exact
      ? {
          age_range: c.age_range ?? null,
          gender: c.gender ?? [],
          modalities: c.modalities ?? c.modality ?? [],
          body_parts: c.body_parts ?? [],
          manufacturers: c.manufacturers ?? [],
        }
      : {}),
  }));
  const total = answer.total ?? {
    studies_count: answer.collections.reduce((n, c) => n + c.studies_count, 0),
    subjects_count: answer.collections.reduce((n, c) => n + c.subjects_count, 0),
  };
  return {
    collections,
    total: {
      studies_count: obf.count(total.studies_count, 'total:studies'),
      subjects_count: obf.count(total.subjects_count, 'total:subjects'),
    },
    unsupported_keys: [],
    obfuscation: obf.notes(),
  };
}
