import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { traceInputSchema } from '../../shared/tracer/actions.ts';
import { checkpointSchema } from '../../shared/tracer/checkpoint.ts';
import { traceEntrySchema } from '../../shared/tracer/entry.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import type { Principal } from '../identity/principal.ts';
import { representedDatasets } from '../identity/roles.ts';
import { callingNode } from '../middleware/guards.ts';
import { publishDueCheckpoint } from './append.ts';
import { auditLog } from './audit.ts';
import { entryById, toEntry, traceListQuery, traceQuerySchema, type Visibility } from './entry-rows.ts';
import { servedIntegrity, checkedConsistency, inclusionProof, latestCheckpoint, listCheckpoints, provenEntry, treeSize } from './proofs.ts';
import { recordTrace } from './record-trace.ts';
import type { Services } from '../services.ts';

/** Traces are small; the limit applies before authentication reads the body to check its hash. */
export const tracerBodyLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: () => {
    throw new AppError('payload_too_large', 'trace submissions are limited to 64 KiB');
  },
});

async function visibility(p: Principal, s: Services): Promise<Visibility> {
  if (p.kind !== 'user') throw new AppError('unauthenticated', 'log in to read traces');
  if (p.admin) return { all: true };
  return { all: false, userId: p.user.sub, datasets: await representedDatasets(s.db, p.user.sub) };
}

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// The routes, declared once each; the handlers below take them in order.
const hex = z.string().regex(/^[0-9a-f]{64}$/);
const integrity = z.object({
  consistent: z.boolean(),
  /** When a served row fails its check: the first one and why (it is served anyway, as evidence, never as sound). */
  firstBadSeq: z.number().int().optional(),
  reason: z.string().optional(),
});
const inclusion = z.object({ leafIndex: z.number().int(), treeSize: z.number().int(), proof: z.array(hex) });
const READ_RULE = "platform admins all; a dataset's representatives its traces; anyone their own";
const consistencyQuery = z.object({ from: size.min(1), to: size.min(1) });
const inclusionQuery = z.object({ seq: size, treeSize: size.min(1) });
const checkpointsQuery = z.object({ fromSize: size.default(0), limit: z.coerce.number().int().min(1).max(10_000).default(1000) });
const submit = defineRoute({
  method: 'post',
  path: '/traces',
  access: 'node',
  summary: 'append a trace to the tamper-evident log',
  description: "CHAIMELEON's trace submission; the hub's own services append in-process. At most 64 KiB.",
  request: { json: traceInputSchema },
  responses: { 201: json(traceEntrySchema, 'The stored entry with its position and hash.') },
});
const list = defineRoute({
  method: 'get',
  path: '/traces',
  access: 'user',
  rule: READ_RULE,
  summary:
    "traces by dataset, user and action, served from indexes; `fromSeq` (not in CHAIMELEON's API) pages by position, one index range per page",
  description:
    "CHAIMELEON's query (`datasetId`, `userId`, `userAction` repeat as alternatives; `skip`, `limit`). `fromSeq` (not in CHAIMELEON's API) pages by position, one index range per page.",
  request: { query: traceQuerySchema },
  responses: { 200: json(integrity.extend({ traces: z.array(traceEntrySchema) }), 'The page, with whether its rows verify.') },
});
const one = defineRoute({
  method: 'get',
  path: '/traces/:id',
  access: 'user',
  rule: READ_RULE,
  summary: 'the entry with its inclusion proof (409 `log_inconsistent` if the stored log does not verify)',
  request: { params: z.object({ id: z.string().uuid('not a trace id') }) },
  responses: {
    200: json(
      z.object({ entry: traceEntrySchema, inclusion: inclusion.extend({ leafHash: hex, checkpoint: checkpointSchema }).nullable() }),
      'The entry; `inclusion` is null until a checkpoint covers it.',
    ),
  },
  errors: { not_found: 'no such trace the caller may read', conflict: 'the stored log does not verify (`log_inconsistent`)' },
});
const latest = defineRoute({
  method: 'get',
  path: '/checkpoints/latest',
  access: 'public',
  summary: 'the latest signed checkpoint (EdDSA, own key), so anyone can verify',
  responses: { 200: json(checkpointSchema, 'The newest signed tree head.') },
  errors: { not_found: 'no checkpoint has been published yet', unavailable: 'the tracer has no signing key (TRACER_SIGNING_KEY)' },
});
const checkpoints = defineRoute({
  method: 'get',
  path: '/checkpoints',
  access: 'public',
  summary: 'signed checkpoints from a tree size on',
  request: { query: checkpointsQuery },
  responses: { 200: json(z.object({ checkpoints: z.array(checkpointSchema) }), 'Oldest first.') },
});
const keys = defineRoute({
  method: 'get',
  path: '/keys',
  access: 'public',
  summary: "the tracer's checkpoint key (JWKS)",
  responses: {
    200: json(
      z.object({
        keys: z.array(
          z.looseObject({
            kty: z.string(),
            crv: z.string(),
            x: z.string(),
            kid: z.string(),
            alg: z.literal('EdDSA'),
            use: z.literal('sig'),
          }),
        ),
      }),
      'Empty when the tracer has no signing key.',
    ),
  },
});
const consistency = defineRoute({
  method: 'get',
  path: '/proofs/consistency',
  access: 'public',
  summary: 'RFC 6962 consistency proof between two tree sizes',
  request: { query: consistencyQuery },
  responses: {
    200: json(
      z.object({
        from: z.number().int(),
        to: z.number().int(),
        proof: z.array(hex),
        fromCheckpoint: checkpointSchema.nullable(),
        toCheckpoint: checkpointSchema.nullable(),
      }),
      'The proof, with the signed checkpoints at both sizes where there are any.',
    ),
  },
  errors: { bad_request: 'need 1 <= from <= to <= the tree size', conflict: 'the stored log does not verify (`log_inconsistent`)' },
});
const inclusionRoute = defineRoute({
  method: 'get',
  path: '/proofs/inclusion',
  access: 'public',
  summary: 'RFC 6962 inclusion proof of an entry in a tree size',
  request: { query: inclusionQuery },
  responses: { 200: json(inclusion, 'The audit path.') },
  errors: { bad_request: 'need seq < treeSize <= the tree size' },
});
const audit = defineRoute({
  method: 'get',
  path: '/audit',
  access: 'admin',
  summary: 'full consistency report of the stored log',
  responses: {
    200: json(
      z.object({
        consistent: z.boolean(),
        entries: z.number().int(),
        checkpoints: z.number().int(),
        firstBad: z.object({ seq: z.number().int(), reason: z.string(), message: z.string() }).optional(),
      }),
      'Every entry, link and checkpoint recomputed.',
    ),
  },
});

/**
 * The tracer API, CHAIMELEON-compatible paths under /tracer/api/v1. Submitting needs a node's
 * signed request (the hub's own services call `recordTrace` in-process); reading traces needs a
 * representative of the dataset, an admin, or the user the trace is about; checkpoints and proofs
 * are public so that anyone can verify.
 */
export const tracerRoutes = hubRouter({ tag: 'Tracer v1 (CHAIMELEON interop)' })
  .add(submit, async (c) => {
    const entry = await recordTrace(c.get('services'), c.req.valid('json'), `node:${callingNode(c)}`);
    return c.json(entry, 201);
  })
  .add(list, async (c) => {
    const s = c.get('services');
    const rows = (await traceListQuery(s.db, c.req.valid('query'), await visibility(c.get('principal'), s))).map(toEntry);
    // Served even when a row fails its check, so an auditor can download the evidence, but never as sound.
    return c.json({ traces: rows, ...(await servedIntegrity(s.db, rows)) });
  })
  .add(one, async (c) => {
    const s = c.get('services');
    const v = await visibility(c.get('principal'), s);
    const entry = await entryById(s.db, c.req.valid('param').id);
    const visible = entry && (v.all || entry.userId === v.userId || entry.datasetIds.some((d) => v.datasets.includes(d)));
    // The same answer for "absent" and "not yours": ids of other people's traces are not confirmed.
    if (!entry || !visible) throw new AppError('not_found', 'no such trace');
    await publishDueCheckpoint(s.tracer.deps);
    return c.json(await provenEntry(s.db, entry, await latestCheckpoint(s.db)));
  })
  .add(latest, async (c) => {
    const s = c.get('services');
    await publishDueCheckpoint(s.tracer.deps);
    const checkpoint = await latestCheckpoint(s.db);
    if (!checkpoint && !s.tracer.signer.publicKey)
      throw new AppError('unavailable', 'the tracer has no signing key (set TRACER_SIGNING_KEY)');
    if (!checkpoint) throw new AppError('not_found', 'no checkpoint has been published yet');
    return c.json(checkpoint);
  })
  .add(checkpoints, async (c) => {
    const { fromSize, limit } = c.req.valid('query');
    return c.json({ checkpoints: await listCheckpoints(c.get('services').db, fromSize, limit) });
  })
  .add(keys, (c) => {
    const key = c.get('services').tracer.signer.publicKey;
    return c.json({ keys: key ? [{ ...key, alg: 'EdDSA' as const, use: 'sig' as const }] : [] });
  })
  .add(consistency, async (c) => {
    const s = c.get('services');
    const { from, to } = c.req.valid('query');
    if (from > to || to > (await treeSize(s.db))) throw new AppError('bad_request', 'need 1 <= from <= to <= the tree size');
    return c.json(await checkedConsistency(s.db, from, to));
  })
  .add(inclusionRoute, async (c) => {
    const s = c.get('services');
    const q = c.req.valid('query');
    if (q.seq >= q.treeSize || q.treeSize > (await treeSize(s.db)))
      throw new AppError('bad_request', 'need seq < treeSize <= the tree size');
    return c.json({ leafIndex: q.seq, treeSize: q.treeSize, proof: await inclusionProof(s.db, q.seq, q.treeSize) });
  })
  .add(audit, async (c) => {
    const s = c.get('services');
    return c.json(await auditLog(s.db, s.tracer.signer));
  });
