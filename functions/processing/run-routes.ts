import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { runIdSchema } from '../../shared/processing/run.ts';
import { uploadPathSchema } from '../../shared/processing/bridge-api.ts';
import { hubRouter, json, media } from '../api/hub-router.ts';
import { callingUser } from '../middleware/guards.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { cancelRun, startRun } from './run-dispatch.ts';
import { createRunSchema, planRun } from './run-request.ts';
import { listRuns, runPart, runView, visibleRun } from './run-view.ts';
import { objectKey } from './uploads.ts';
import { processableDatasets } from './workspace-datasets.ts';
import { cancelledRunSchema, processableDatasetsSchema, runSummarySchema, runViewSchema } from './responses.ts';

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

const OWNER = "the run's owner, and platform admins (404 for anyone else)";
const attachment = { 'content-disposition': { description: 'attachment (or inline for a log shown as text), with a safe file name' } };

/** The researcher's workspace, mounted at /api/v1/runs: start, follow, cancel, and fetch results. */
export const runRoutes = hubRouter({ tag: 'Processing' })
  .add(
    {
      method: 'get',
      path: '/',
      access: 'member',
      rule: 'their own runs (every run for platform admins)',
      summary: 'my runs, newest first, with their overall state',
      responses: { 200: json(z.object({ runs: z.array(runSummarySchema) }), 'The runs.') },
    },
    async (c) => c.json({ runs: await listRuns(c.get('services'), callingUser(c)) }),
  )
  .add(
    {
      method: 'post',
      path: '/',
      access: 'member',
      summary:
        '`{ tool, parameters, inputs: ["node:dataset[/path]"], timeoutSeconds? }` → 201; 400 parameters outside the tool\'s schema, 403 no live processing grant, 409 node offline / tool not approved / image not ready (`details.nodes`)',
      description:
        '`{ tool, parameters, inputs: ["node:dataset[/path]"], timeoutSeconds? }`. One signed `processing.run` job per node, carrying its inputs and the signed grants.',
      request: { json: createRunSchema },
      responses: { 201: json(runViewSchema, 'Started.') },
      errors: {
        bad_request: "the body or the parameters are outside the tool's schema",
        forbidden: 'no live processing grant for an input dataset',
        not_found: 'no such approved tool version',
        conflict: 'a node is offline, does not allow the tool, or its image is not ready (`details.nodes`)',
      },
    },
    async (c) => {
      const s = c.get('services');
      const user = callingUser(c).user.sub;
      const input = c.req.valid('json');
      const plan = await planRun(s, user, input);
      const runId = await startRun(s, user, input, plan);
      c.get('log').info('run started', { runId, toolId: plan.tool.id, nodes: plan.nodes.map((n) => n.nodeId) });
      return c.json(await runView(s, await visibleRun(s, callingUser(c), runId)), 201);
    },
  )
  /** What the "New run" form offers as inputs: my granted datasets and where they live. */
  .add(
    {
      method: 'get',
      path: '/datasets',
      access: 'member',
      summary: 'my processable datasets (a live processing grant) and their nodes',
      responses: { 200: json(processableDatasetsSchema, 'The datasets.') },
    },
    async (c) => c.json({ datasets: await processableDatasets(c.get('services'), callingUser(c).user.sub) }),
  )
  .add(
    {
      method: 'get',
      path: '/:id',
      access: 'user',
      rule: OWNER,
      summary: 'a run: per-node states, logs and outputs',
      request: { params: runParam },
      responses: { 200: json(runViewSchema, 'The run.') },
      errors: { not_found: 'no such run of the caller' },
    },
    async (c) => {
      const s = c.get('services');
      return c.json(await runView(s, await visibleRun(s, callingUser(c), c.req.valid('param').id)));
    },
  )
  .add(
    {
      method: 'post',
      path: '/:id/cancel',
      access: 'user',
      rule: OWNER,
      summary: 'cancel a run on every node',
      request: { params: runParam },
      responses: { 202: json(cancelledRunSchema, 'Cancelling: nodes still running get a signed cancel job.') },
      errors: { not_found: 'no such run of the caller' },
    },
    async (c) => {
      const s = c.get('services');
      const run = await visibleRun(s, callingUser(c), c.req.valid('param').id);
      const { cancelJobs, cancelRequestedAt } = await cancelRun(s, run.id);
      return c.json({ ...(await runView(s, { ...run, cancelRequestedAt })), cancelJobs }, 202);
    },
  )
  .add(
    {
      method: 'get',
      path: '/:id/nodes/:nodeId/log',
      access: 'user',
      rule: OWNER,
      summary: "one node's log, as text or (`?download=1`) as an attachment",
      request: { params: nodeParam, query: logQuery },
      responses: { 200: media(['text/plain', 'application/octet-stream'], 'The log.', attachment) },
      errors: { not_found: 'no such run, or no log from that node yet' },
    },
    async (c) => {
      const s = c.get('services');
      const { id, nodeId } = c.req.valid('param');
      const log = (await runPart(s, await visibleRun(s, callingUser(c), id), nodeId))?.log;
      if (!log) throw new AppError('not_found', `no log from ${nodeId} yet`);
      const attach = c.req.valid('query').download === '1';
      return download(s, objectKey(id, nodeId, 'log', log), log, !attach);
    },
  )
  .add(
    {
      method: 'get',
      path: '/:id/nodes/:nodeId/outputs/:path{.+}',
      access: 'user',
      rule: OWNER,
      summary: 'an accepted output file, as an attachment (traced as DOWNLOAD_RESULT)',
      request: { params: outputParam },
      responses: { 200: media(['application/octet-stream'], 'The file.', attachment) },
      errors: { not_found: 'no such run, or no such accepted output from that node' },
    },
    async (c) => {
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
    },
  );
