import { z } from 'zod';
import { searchBodySchema } from '../search/search-request.ts';

/** Bounds of what an explorer posts: Lens sends one query of a few KiB; the hub's body limit is 1 MiB. */
const MAX_QUERY_CHARS = 512 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Ctx = z.RefinementCtx;

const FAILED = Symbol('undecodable');

/** Standard base64 of UTF-8 JSON, as the explorer and Focus write it; an issue at `path` otherwise. */
function decodeJson(text: string, path: (string | number)[], what: string, ctx: Ctx): unknown {
  let bytes: Uint8Array;
  try {
    if (!BASE64.test(text) || text.length % 4 === 1) throw new Error('not base64');
    bytes = Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    ctx.addIssue({ code: 'custom', path, message: `${what} is not base64` });
    return FAILED;
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    ctx.addIssue({ code: 'custom', path, message: `${what} is not base64 of UTF-8 JSON` });
    return FAILED;
  }
}

const envelopeSchema = z.object({ lang: z.string(), query: z.string() });

/**
 * What Lens posts to its Spot (samply/spot `LensQuery`: `{id, sites?, query}`), decoded: `query` is
 * base64 of `{lang: "ast", query}` and that inner `query` base64 of `{ast, id}` (the EUCAIM explorer's
 * `backend.service.ts`; Focus reads the same two layers). The tree is then checked as `POST
 * /api/v1/search` checks it, so a fault names its path inside the decoded query. `sites` are Beam site
 * names, i.e. node ids; an empty list is refused as Spot refuses it ("No sites specified").
 */
export const beamTaskSchema = z
  .object({
    id: z.uuid('the task id must be a UUID, as Lens makes it'),
    sites: z.array(z.string().min(1).max(100)).min(1, 'no sites specified').max(500).optional(),
    query: z.string().min(1).max(MAX_QUERY_CHARS),
  })
  .transform((body, ctx) => {
    const decoded = decodeJson(body.query, ['query'], 'query', ctx);
    if (decoded === FAILED) return z.NEVER;
    const outer = envelopeSchema.safeParse(decoded);
    if (!outer.success) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: 'query must be base64 of {"lang": "ast", "query": "<base64>"}' });
      return z.NEVER;
    }
    if (outer.data.lang !== 'ast') {
      ctx.addIssue({ code: 'custom', path: ['query', 'lang'], message: `only lang "ast" is understood, not "${outer.data.lang}"` });
      return z.NEVER;
    }
    const tree = decodeJson(outer.data.query, ['query', 'query'], 'the inner query', ctx);
    if (tree === FAILED) return z.NEVER;
    const inner = searchBodySchema.safeParse(tree);
    if (!inner.success) {
      for (const issue of inner.error.issues)
        ctx.addIssue({ code: 'custom', path: ['query', 'query', ...(issue.path as (string | number)[])], message: issue.message });
      return z.NEVER;
    }
    return { id: body.id, sites: body.sites, search: inner.data };
  });
export type BeamTask = z.infer<typeof beamTaskSchema>;
