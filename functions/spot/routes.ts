import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, json, media, noContent } from '../api/hub-router.ts';
import { checkExplorerOrigin, closeExplorerSession, explorerOrigins, openExplorerSession } from '../identity/explorer-session.ts';
import { callingUser } from '../middleware/guards.ts';
import { createSearch } from '../search/search-service.ts';
import { beamEvents } from './beam-stream.ts';
import { beamTaskSchema } from './beam-task.ts';
import { spotTasks } from './spot.sql.ts';

/** Where app.ts mounts these routes: an explorer's `spotUrl` is `<hub>/api/v1/spot`. */
const SPOT_PATH = '/api/v1/spot';

const openBody = z
  .object({
    returnTo: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict()
  .describe('`returnTo`: an address of an explorer to go back to; its origin must be one the hub serves as an explorer.');

const openSession = defineRoute({
  method: 'post',
  path: '/session',
  access: 'user',
  summary:
    'open the explorer session: with a bearer token, sets an HttpOnly, SameSite=Strict cookie (`__Host-` over https) the Spot routes accept until the token expires (at most 12 h); `{ returnTo? }` is checked against the explorer origins',
  description:
    "What the web app calls after its OIDC login when a Lens explorer sends the user to log in. Needs the page's Origin (the hub's or one of SPOT_EXPLORER_ORIGINS).",
  request: { json: openBody },
  responses: { 201: json(z.object({ expiresAt: z.iso.datetime(), returnTo: z.string().nullable() }), 'The session is open.') },
  errors: { forbidden: 'the request comes from a page that is not an explorer origin, or carries no Origin' },
});
const whoSession = defineRoute({
  method: 'get',
  path: '/session',
  access: 'explorer',
  summary: "who the explorer's session (or token) belongs to; 401 when there is none",
  responses: { 200: json(z.object({ sub: z.string(), name: z.string().nullable() }), 'The member the session belongs to.') },
});
const closeSession = defineRoute({
  method: 'delete',
  path: '/session',
  access: 'public',
  summary: 'end the explorer session and clear its cookie',
  responses: { 204: noContent('Ended (or there was none).') },
  errors: { forbidden: 'the request comes from a page that is not an explorer origin, or carries no Origin' },
});
const postTask = defineRoute({
  method: 'post',
  path: '/beam',
  access: 'explorer',
  rule: 'task ids are per user',
  summary:
    'Spot\'s `POST /beam` `{ id, sites?, query }` (`query`: base64 of `{lang: "ast", query: base64 of {ast, id}}`, as Lens sends it) → 201; starts a federated search of the nodes named in `sites` (all without); not base64 or not a query tree is a 400',
  request: { json: beamTaskSchema },
  responses: {
    201: {
      ...noContent('Created: the search runs; follow it at GET /beam/{id}.'),
      headers: { location: { description: '/api/v1/spot/beam/<id>' } },
    },
  },
  errors: {
    conflict: 'the caller already posted a task with this id',
    bad_request: 'not base64, not an AST, or none of the sites is a node',
  },
});
const listen = defineRoute({
  method: 'get',
  path: '/beam/:id',
  access: 'explorer',
  rule: "the task's owner (404 for anyone else)",
  summary:
    "Spot's event stream `GET /beam/{id}?wait_count=`: one `new_result` per node state (`claimed`, `succeeded` with the provider answer in base64, `tempfailed`, `permfailed`), closing at `wait_count` final results or the deadline",
  description:
    'Each `new_result` is a Beam task result `{from: "focus.<node>.<hub host>", to, task, status, body, metadata}`; `metadata` carries the hub\'s node status, deadline and obfuscation note.',
  request: {
    params: z.object({ id: z.uuid('not a task id') }),
    query: z.object({ wait_count: z.coerce.number().int().min(0).max(65535).optional() }),
  },
  responses: { 200: media(['text/event-stream'], 'The results as Beam streams them, ending as Beam ends.') },
  errors: { not_found: 'no task with this id of the caller' },
});

/**
 * The hub as the Spot of a Samply Lens explorer (samply/spot `src/main.rs`): the explorer's session and
 * `/beam`, under /api/v1/spot, so an explorer's `spotUrl` is `<hub>/api/v1/spot`.
 */
export const spotRoutes = hubRouter({ tag: 'Spot (interop)' })
  .add(openSession, async (c) => {
    const config = c.get('services').config;
    checkExplorerOrigin(c);
    const { returnTo } = c.req.valid('json');
    if (returnTo && !explorerOrigins(config).includes(new URL(returnTo).origin))
      throw new AppError('bad_request', `${new URL(returnTo).origin} is not an explorer origin of this hub`);
    const token = (c.req.header('authorization') ?? '').replace(/^bearer /i, '');
    const expiresAt = await openExplorerSession(c, callingUser(c).user, token);
    return c.json({ expiresAt: expiresAt.toISOString(), returnTo: returnTo ?? null }, 201);
  })
  .add(whoSession, (c) => {
    const { user } = callingUser(c);
    return c.json({ sub: user.sub, name: user.name ?? null });
  })
  .add(closeSession, async (c) => {
    await closeExplorerSession(c);
    return c.body(null, 204);
  })
  .add(postTask, async (c) => {
    const s = c.get('services');
    const owner = callingUser(c).user.sub;
    const task = c.req.valid('json');
    const mine = and(eq(spotTasks.owner, owner), eq(spotTasks.taskId, task.id));
    const claimed = await s.db
      .insert(spotTasks)
      .values({ owner, taskId: task.id })
      .onConflictDoNothing()
      .returning({ id: spotTasks.taskId });
    if (claimed.length === 0) throw new AppError('conflict', `a task with id ${task.id} was already posted`);
    try {
      const search = await createSearch(s, owner, task.search, c.get('log'), task.sites);
      await s.db.update(spotTasks).set({ searchId: search.id }).where(mine);
    } catch (err) {
      await s.db.delete(spotTasks).where(mine);
      throw err;
    }
    c.header('location', `${SPOT_PATH}/beam/${task.id}`);
    return c.body(null, 201);
  })
  .add(listen, async (c) => {
    const owner = callingUser(c).user.sub;
    const { id } = c.req.valid('param');
    const [row] = await c
      .get('services')
      .db.select({ searchId: spotTasks.searchId })
      .from(spotTasks)
      .where(and(eq(spotTasks.owner, owner), eq(spotTasks.taskId, id)));
    if (!row?.searchId) throw new AppError('not_found', 'no such task of yours');
    return beamEvents(c, { sub: owner, admin: false }, row.searchId, id, c.req.valid('query').wait_count);
  });
