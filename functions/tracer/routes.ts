import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { traceInputSchema } from '../../shared/tracer/actions.ts';
import type { HubEnv } from '../env.ts';
import type { Principal } from '../identity/principal.ts';
import { representedDatasets } from '../identity/roles.ts';
import { callingNode, requireAdmin, requireNode } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
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

/**
 * The tracer API, CHAIMELEON-compatible paths under /tracer/api/v1. Submitting needs a node's
 * signed request (the hub's own services call `recordTrace` in-process); reading traces needs a
 * representative of the dataset, an admin, or the user the trace is about; checkpoints and proofs
 * are public so that anyone can verify.
 */
export const tracerRoutes = new Hono<HubEnv>()
  .post('/traces', requireNode, validate('json', traceInputSchema), async (c) => {
    const entry = await recordTrace(c.get('services'), c.req.valid('json'), `node:${callingNode(c)}`);
    return c.json(entry, 201);
  })
  .get('/traces', validate('query', traceQuerySchema), async (c) => {
    const s = c.get('services');
    const rows = (await traceListQuery(s.db, c.req.valid('query'), await visibility(c.get('principal'), s))).map(toEntry);
    // Served even when a row fails its check, so an auditor can download the evidence, but never as sound.
    return c.json({ traces: rows, ...(await servedIntegrity(s.db, rows)) });
  })
  .get('/traces/:id', validate('param', z.object({ id: z.string().uuid('not a trace id') })), async (c) => {
    const s = c.get('services');
    const v = await visibility(c.get('principal'), s);
    const entry = await entryById(s.db, c.req.valid('param').id);
    const visible = entry && (v.all || entry.userId === v.userId || entry.datasetIds.some((d) => v.datasets.includes(d)));
    // The same answer for "absent" and "not yours": ids of other people's traces are not confirmed.
    if (!entry || !visible) throw new AppError('not_found', 'no such trace');
    await publishDueCheckpoint(s.tracer.deps);
    return c.json(await provenEntry(s.db, entry, await latestCheckpoint(s.db)));
  })
  .get('/checkpoints/latest', async (c) => {
    const s = c.get('services');
    await publishDueCheckpoint(s.tracer.deps);
    const checkpoint = await latestCheckpoint(s.db);
    if (!checkpoint && !s.tracer.signer.publicKey)
      throw new AppError('unavailable', 'the tracer has no signing key (set TRACER_SIGNING_KEY)');
    if (!checkpoint) throw new AppError('not_found', 'no checkpoint has been published yet');
    return c.json(checkpoint);
  })
  .get(
    '/checkpoints',
    validate('query', z.object({ fromSize: size.default(0), limit: z.coerce.number().int().min(1).max(10_000).default(1000) })),
    async (c) => {
      const { fromSize, limit } = c.req.valid('query');
      return c.json({ checkpoints: await listCheckpoints(c.get('services').db, fromSize, limit) });
    },
  )
  .get('/keys', (c) => {
    const key = c.get('services').tracer.signer.publicKey;
    return c.json({ keys: key ? [{ ...key, alg: 'EdDSA' as const, use: 'sig' as const }] : [] });
  })
  .get('/proofs/consistency', validate('query', z.object({ from: size.min(1), to: size.min(1) })), async (c) => {
    const s = c.get('services');
    const { from, to } = c.req.valid('query');
    if (from > to || to > (await treeSize(s.db))) throw new AppError('bad_request', 'need 1 <= from <= to <= the tree size');
    return c.json(await checkedConsistency(s.db, from, to));
  })
  .get('/proofs/inclusion', validate('query', z.object({ seq: size, treeSize: size.min(1) })), async (c) => {
    const s = c.get('services');
    const q = c.req.valid('query');
    if (q.seq >= q.treeSize || q.treeSize > (await treeSize(s.db)))
      throw new AppError('bad_request', 'need seq < treeSize <= the tree size');
    return c.json({ leafIndex: q.seq, treeSize: q.treeSize, proof: await inclusionProof(s.db, q.seq, q.treeSize) });
  })
  .get('/audit', requireAdmin, async (c) => {
    const s = c.get('services');
    return c.json(await auditLog(s.db, s.tracer.signer));
  });
