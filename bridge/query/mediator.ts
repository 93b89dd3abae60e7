import { z } from 'zod';
import { EUCAIM_KEYS } from '../../shared/filter-catalogue.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { SafeJobError } from '../job-handler.ts';
import type { Answer } from './answer.ts';
import { toMediatorQuery } from './mediator-dialect.ts';
import type { Obfuscator } from './obfuscate.ts';
import type { Vocabulary } from './vocabulary.ts';

const count = z.number().int().nonnegative();
/** Labels or raw DICOM texts of the whole dataset (`Male`, `Unkown`, `MR`, `Pelvis^Masculin`), not codes. */
const texts = z.array(z.string().max(200)).max(1000).optional();

/**
 * The answer of the CHAIMELEON/UPV mediator (chaimeleon-eu/dataset-service `storage/eucaim_search.py`,
 * `eucaimSearchDatasets`): `{collections}` with no total, only datasets with a matching study,
 * `age_range` an object or the number 0 when the dataset has no ages, `modality` (older mediators:
 * `modalities`). `total` is read where another mediator sends it.
 */
export const mediatorAnswerSchema = z.object({
  collections: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        name: z.string().max(500),
        description: z.string().max(2000).nullable().optional(),
        studies_count: count,
        subjects_count: count,
        age_range: z.union([z.object({ min: z.number(), max: z.number() }), z.literal(0), z.null()]).optional(),
        gender: texts,
        modality: texts,
        modalities: texts,
        body_parts: texts,
        manufacturers: texts,
      }),
    )
    .max(1000),
  total: z.object({ studies_count: count, subjects_count: count }).optional(),
});

/** The error body of the mediator (`RESTServer.setErrorResponse`). */
const mediatorErrorSchema = z.object({ error: z.string(), status_code: z.number().optional() });

export interface MediatorSettings {
  /** Base URL; the route is `/api/datasets/eucaimSearch` under it. */
  url: string;
  secret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const fail = (message: string) => new SafeJobError('mediator_failed', message);

/** Why the mediator refused, in words for the user; its own message only where it is about the query. */
function refusal(status: number, text: string): SafeJobError {
  let said = '';
  try {
    said = mediatorErrorSchema.parse(JSON.parse(text)).error.slice(0, 300);
  } catch {}
  if (status === 401) return fail('the local mediator refused the secret (HTTP 401)');
  if (status === 404) return fail('the local mediator has no search route (HTTP 404): is its search token set?');
  if ((status === 400 || status === 422) && said) return fail(`the local mediator refused the query (HTTP ${status}): ${said}`);
  return fail(`the local mediator answered HTTP ${status}`);
}

async function call(settings: MediatorSettings, body: { ast: QueryNode; id: string }): Promise<unknown> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(`${settings.url}/api/datasets/eucaimSearch`, {
      method: 'POST',
      // RESTServer.eucaimSearchDatasets: exactly "Secret <token>", and JSON or a 400.
      headers: { authorization: `Secret ${settings.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw fail(`the local mediator did not answer within ${settings.timeoutMs} ms`);
    throw fail('the local mediator could not be reached');
  }
  if (!res.ok) throw refusal(res.status, text);
  try {
    return JSON.parse(text);
  } catch {
    throw fail('the local mediator answered with something that is not JSON');
  }
}

/** A dataset-wide list of labels or DICOM texts as catalogue codes, for exact answers only. */
function codesOf(vocab: Vocabulary, key: string, list: string[] | undefined): string[] {
  return [...new Set((list ?? []).flatMap((text) => vocab.codes(key, text)))];
}

/**
 * For nodes that already run the CHAIMELEON mediator: the bridge sends it the query as that mediator
 * reads it as meant (mediator-dialect.ts) with `{ast, id}`, or answers unsupported without asking
 * it; its answer is validated and its counts obfuscated like the bridge's own. Its lists describe
 * the whole dataset, not the matching subjects, and their group sizes cannot be checked here: they
 * are dropped when obfuscating, and read as codes when the data holder asks for exact counts.
 */
export async function askMediator(
  settings: MediatorSettings,
  query: QueryNode,
  id: string,
  obf: Obfuscator,
  vocab: Vocabulary,
): Promise<Answer> {
  const translated = toMediatorQuery(query);
  if (!translated.ok) return { status: 'unsupported', unsupported_keys: translated.unsupportedKeys };
  const parsed = mediatorAnswerSchema.safeParse(await call(settings, { ast: translated.ast, id }));
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw fail(`the local mediator's answer does not have the expected shape (at ${where})`);
  }
  const answer = parsed.data;
  const exact = !obf.enabled;
  const collections: CountResult['collections'] = answer.collections.map((c) => ({
    id: c.id,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    studies_count: obf.count(c.studies_count, `${c.id}:studies`),
    subjects_count: obf.count(c.subjects_count, `${c.id}:subjects`),
    ...(exact
      ? {
          age_range: c.age_range ? c.age_range : null,
          gender: codesOf(vocab, EUCAIM_KEYS.gender, c.gender),
          modalities: codesOf(vocab, EUCAIM_KEYS.modality, c.modality ?? c.modalities),
          body_parts: codesOf(vocab, EUCAIM_KEYS.bodyPart, c.body_parts),
          manufacturers: codesOf(vocab, EUCAIM_KEYS.manufacturer, c.manufacturers),
        }
      : {}),
  }));
  // No total from the real mediator: the sum, which counts a subject in two datasets twice.
  const total = answer.total ?? {
    studies_count: answer.collections.reduce((n, c) => n + c.studies_count, 0),
    subjects_count: answer.collections.reduce((n, c) => n + c.subjects_count, 0),
  };
  return {
    status: 'answered',
    result: {
      collections,
      total: {
        studies_count: obf.count(total.studies_count, 'total:studies'),
        subjects_count: obf.count(total.subjects_count, 'total:subjects'),
      },
      unsupported_keys: [],
      obfuscation: obf.notes(),
    },
  };
}
