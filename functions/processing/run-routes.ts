import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { runIdSchema } from '../../shared/processing/run.ts';
import { uploadPathSchema } from '../../shared/processing/bridge-api.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { cancelRun, startRun } from './run-dispatch.ts';
import { createRunSchema, planRun } from './run-request.ts';
import { listRuns, runPart, runView, visibleRun } from './run-view.ts';
import { objectKey } from './uploads.ts';
import { processableDatasets } from './workspace-datasets.ts';

const runParam = z.object({ id: runIdSchema });
const nodeParam = z.object({ id: runIdSchema, nodeId: nodeIdSchema });
/** `?download=1` sends the log as an attachment; by default it is shown as text. */
const logQuery = z.object({ download: z.enum(['1']).optional() });
const outputParam = z.object({ id: runIdSchema, nodeId: nodeIdSchema, path: uploadPathSchema });

/** Streams a stored result as an attachment, with a file name a browser cannot misread. */
async function download(s: Services, key: string, name: string, inline: boolean): Promise<Response> {
  const object = await s.objectStore.get(key);
  if (!object) throw new AppError('not_found', 'this file has not been received');
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return new Response(object.body, {
    headers: {
      'content-type': inline ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      'content-length': String(object.size),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${safe}"`,
      // Results are the owner's: never cached by a shared cache, never sniffed into HTML.
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The researcher's workspace, mounted at /api/v1/runs: start, follow, cancel, and fetch results. */
export const runRoutes = new Hono<HubEnv>()
  .get('/', requireMember, async (c) => c.json({ runs: await listRuns(c.get('services'), callingUser(c)) }))
  .post('/', requireMember, validate('json', createRunSchema), async (c) => {
    const s = c.get('services');
    const user = callingUser(c).user.sub;
    const input = c.req.valid('json');
    const plan = await planRun(s, user, input);
    const runId = await startRun(s, user, input, plan);
    c.get('log').info('run started', { runId, toolId: plan.tool.id, nodes: plan.nodes.map((n) => n.nodeId) });
    return c.json(await runView(s, await visibleRun(s, callingUser(c), runId)), 201);
  })
  /** What the "New run" form offers as inputs: my granted datasets and where they live. */
  .get('/datasets', requireMember, async (c) => c.json({ datasets: await processableDatasets(c.get('services'), callingUser(c).user.sub) }))
  .get('/:id', validate('param', runParam), async (c) => {
    const s = c.get('services');
    return c.json(await runView(s, await visibleRun(s, callingUser(c), c.req.valid('param').id)));
  })
  .post('/:id/cancel', validate('param', runParam), async (c) => {
    const s = c.get('services');
    const run = await visibleRun(s, callingUser(c), c.req.valid('param').id);
    const { cancelJobs, cancelRequestedAt } = await cancelRun(s, run.id);
    return c.json({ ...(await runView(s, { ...run, cancelRequestedAt })), cancelJobs }, 202);
  })
  .get('/:id/nodes/:nodeId/log', validate('param', nodeParam), validate('query', logQuery), async (c) => {
    const s = c.get('services');
    const { id, nodeId } = c.req.valid('param');
    const log = (await runPart(s, await visibleRun(s, callingUser(c), id), nodeId))?.log;
    if (!log) throw new AppError('not_found', `no log from ${nodeId} yet`);
    const attach = c.req.valid('query').download === '1';
    return download(s, objectKey(id, nodeId, 'log', log), log, !attach);
  })
  .get('/:id/nodes/:nodeId/outputs/:path{.+}', validate('param', outputParam), async (c) => {
    const s = c.get('services');
    const p = callingUser(c);
    const { id, nodeId, path } = c.req.valid('param');
    const part = await runPart(s, await visibleRun(s, p, id), nodeId);
    // Only what the node reported as an accepted output is served, never anything else under the prefix.
    if (!part?.outputs.some((o) => o.path === path)) throw new AppError('not_found', `no output ${path} from ${nodeId}`);
    const res = await download(s, objectKey(id, nodeId, 'output', path), path.split('/').pop() ?? 'output', false);
    await recordTrace(s, {
      userId: p.user.sub,
      userAction: 'DOWNLOAD_RESULT',
      datasetIds: part.datasets,
      runId: id,
      resultId: `${nodeId}/${path}`.replace(/\s/g, '_').slice(0, 200),
    });
    return res;
  });
