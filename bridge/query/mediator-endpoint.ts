import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EUCAIM_KEYS, NO_VALUE_CODE, filterByKey } from '../../shared/filter-catalogue.ts';
import { constantTimeEqualText } from '../../shared/hmac.ts';
import type { CountResult } from '../../shared/job-protocol.ts';
import { type QueryNode, queryTreeSchema } from '../../shared/query.ts';
import type { Logger } from '../logger.ts';
import type { Answer } from './answer.ts';
import type { MediatorEndpointConfig } from './mediator-endpoint-config.ts';

/** The route a Focus of the "omop" (intermediate representation) kind posts its `{ast, id}` to. */
export const MEDIATOR_ROUTE = '/api/datasets/eucaimSearch';
const MAX_BODY_BYTES = 256 * 1024;

/** How a count is answered for the endpoint: the bridge's own index, obfuscated, unknown terms matching nothing. */
export type MediatorAnswerer = (query: QueryNode) => Answer;

// The real mediator's labels: MIABIS sex (output_formats.sexToMiabis, without its "Unkown" typo),
// DICOM Modality and BodyPartExamined terms (the first local form of each catalogue code).
const SEX_LABELS: Record<string, string> = { SNOMEDCT248153007: 'Male', SNOMEDCT248152002: 'Female', SNOMEDCT74964007: 'Undifferentiated' };
function dicomTerm(key: string, code: string): string {
  if (code === NO_VALUE_CODE) return 'Unknown';
  const v = filterByKey(key)?.values?.find((x) => x.code === code);
  return v?.local?.[0] ?? v?.label ?? code;
}

/** One collection as the CHAIMELEON mediator writes it (`storage/eucaim_search.py`, `eucaimSearchDatasets`). */
function mediatorCollection(c: CountResult['collections'][number]) {
  return {
    id: c.id,
    name: c.name,
    studies_count: c.studies_count,
    subjects_count: c.subjects_count,
    // The real mediator writes 0 when it has no ages; here also when the group is too small to show them.
    age_range: c.age_range ?? 0,
    gender: (c.gender ?? []).map((g) => (g === NO_VALUE_CODE ? 'Unknown' : (SEX_LABELS[g] ?? g))),
    modality: (c.modalities ?? []).map((m) => dicomTerm(EUCAIM_KEYS.modality, m)),
    body_parts: (c.body_parts ?? []).map((b) => dicomTerm(EUCAIM_KEYS.bodyPart, b)),
    description: c.description ?? '',
  };
}

/**
 * The bridge as the mediator of a site's Focus agent: `POST /api/datasets/eucaimSearch` with
 * `Authorization: Secret <secret>` and `{ast, id}`, answered as the CHAIMELEON mediator answers
 * (chaimeleon-eu/dataset-service `RESTServer.py`, `eucaimSearchDatasets`): 200 `{collections}` with
 * no total and only datasets with a match; errors as `{error, status_code}` — 401 a wrong secret,
 * 400 no JSON content type or no JSON, 422 not `{ast}` or not a query tree. Counts come from the
 * one obfuscating answer of the bridge (answer.ts), so nothing leaves here that a hub job would not
 * show. A key or code the bridge cannot evaluate matches nothing, as in the real mediator, and is
 * named in `unsupported_keys`, because Focus turns any other status into a failed site (samply/focus
 * `src/intermediate_rep.rs`, `post_ast`); a tree where NOT or XOR could turn that into matches gets
 * no collections at all.
 */
export function mediatorEndpointApp(opts: { secret: string; answer: MediatorAnswerer; logger: Logger }) {
  const expected = `Secret ${opts.secret}`;
  const error = (status: 400 | 401 | 404 | 405 | 413 | 422 | 500, message: string) =>
    new Response(JSON.stringify({ error: message, status_code: status }), { status, headers: { 'content-type': 'application/json' } });
  const app = new Hono<{ Bindings: { incoming?: IncomingMessage } }>();
  app.notFound((c) => error(404, `Not found: '${new URL(c.req.url).pathname}'`));
  app.onError((err) => {
    opts.logger.error('mediator endpoint: answer failed', { error: err.message });
    return error(500, 'Unexpected error, may be the input is wrong');
  });
  app.all(MEDIATOR_ROUTE, async (c, next) => {
    if (c.req.method !== 'POST') return error(405, 'Method not allowed.');
    if (!constantTimeEqualText(c.req.header('authorization') ?? '', expected)) {
      // The attempt only: never the header, never the body.
      opts.logger.warn('mediator endpoint: call with a wrong secret refused', { from: c.env?.incoming?.socket.remoteAddress });
      return error(401, 'unauthorized user');
    }
    return next();
  });
  app.post(
    MEDIATOR_ROUTE,
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => error(413, `the body is larger than ${MAX_BODY_BYTES} bytes`) }),
    async (c) => {
      const type = c.req.header('content-type')?.split(';')[0]?.trim();
      if (!type) return error(400, "invalid or missing 'Content-Type' header, required 'application/json'");
      if (type !== 'application/json') return error(400, "invalid 'Content-Type' header, required 'application/json'");
      let rq: unknown;
      try {
        rq = JSON.parse(await c.req.text());
      } catch (err) {
        return error(400, `Error decoding the body as JSON: ${(err as Error).message}`);
      }
      if (typeof rq !== 'object' || rq === null || Array.isArray(rq))
        return error(422, 'Request validation error: The body must be a json object.');
      if (!('ast' in rq)) return error(422, "Request validation error: Missing property 'ast' in the request object.");
      const tree = queryTreeSchema.safeParse((rq as { ast: unknown }).ast);
      if (!tree.success) {
        const issue = tree.error.issues[0];
        return error(
          422,
          `Request validation error: ast${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'not a query tree'}`,
        );
      }
      const outcome = opts.answer(tree.data);
      if (outcome.status === 'unsupported') return c.json({ collections: [], unsupported_keys: outcome.unsupported_keys });
      // Obfuscation keeps a true zero zero and nothing else: a dataset without a match is left out, as there.
      const collections = outcome.result.collections.filter((col) => col.studies_count > 0).map(mediatorCollection);
      const unsupported = outcome.result.unsupported_keys ?? [];
      return c.json({ collections, ...(unsupported.length > 0 ? { unsupported_keys: unsupported } : {}) });
    },
  );
  return app;
}

export interface RunningEndpoint {
  url: string;
  close(): Promise<void>;
}

/** Serves the endpoint on the data holder's address until closed. */
export async function serveMediatorEndpoint(
  config: MediatorEndpointConfig,
  answer: MediatorAnswerer,
  logger: Logger,
): Promise<RunningEndpoint> {
  const app = mediatorEndpointApp({ secret: config.secret, answer, logger });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info('mediator endpoint listening', { address: `${host}:${address.port}`, route: MEDIATOR_ROUTE });
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
