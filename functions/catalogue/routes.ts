import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { browseQuerySchema, registrationSchema, updateSchema, withdrawSchema } from '../../shared/catalogue/registration.ts';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';
import { callingUser } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { nodeAdmins } from '../nodes/nodes.sql.ts';
import { actorOf, type Actor, isDataHolder, mayEdit } from './access.ts';
import { profileBody } from './body.ts';
import { browseDatasets } from './browse.ts';
import { catalogueDatasets, catalogueDatasetVersions } from './catalogue.sql.ts';
import { datasetView } from './dataset-view.ts';
import { readDataset } from './store.ts';
import { changeDataset, registerDataset } from './registry.ts';
import { hierarchyRoutes } from './hierarchy-routes.ts';
import { turtleReader } from './turtle.ts';

const actor = (c: { get(key: 'principal'): HubEnv['Variables']['principal'] }): Actor => {
  const u = callingUser(c);
  return { sub: u.user.sub, admin: u.admin };
};

/** Who is asking is settled before any body is read: an anonymous caller gets 401, never a 422. */
const signedIn = createMiddleware<HubEnv>(async (c, next) => {
  callingUser(c);
  return next();
});

/** `/api/v1/catalogue`: browsing is public; registration is for node admins (their nodes) and platform admins. */
export const catalogueRoutes = new Hono<HubEnv>()
  .get('/datasets', validate('query', browseQuerySchema), async (c) =>
    c.json(await browseDatasets(c.get('services').db, c.req.valid('query'))),
  )
  .post(
    '/datasets',
    async (c, next) => {
      // Who may register at all is decided before the body is read: others learn nothing from validation.
      const me = actor(c);
      if (!me.admin && !(await isDataHolder(c.get('services').db, me.sub)))
        throw new AppError('forbidden', 'only node admins and platform admins register datasets');
      return next();
    },
    profileBody(registrationSchema, turtleReader('register')),
    async (c) => c.json(await registerDataset(c.get('services'), actor(c), c.req.valid('json')), 201),
  )
  /** What the caller may edit, in every state: their own, their nodes', everything for admins. */
  .get('/my-datasets', async (c) => {
    const me = actor(c);
    const { db } = c.get('services');
    const nodeIds = db.select({ id: nodeAdmins.nodeId }).from(nodeAdmins).where(eq(nodeAdmins.subject, me.sub));
    const rows = await db
      .select({
        id: catalogueDatasets.id,
        title: catalogueDatasets.title,
        state: catalogueDatasets.state,
        nodeId: catalogueDatasets.nodeId,
        version: catalogueDatasets.version,
        modifiedAt: catalogueDatasets.modifiedAt,
      })
      .from(catalogueDatasets)
      .where(me.admin ? undefined : or(eq(catalogueDatasets.owner, me.sub), inArray(catalogueDatasets.nodeId, nodeIds)))
      .orderBy(desc(catalogueDatasets.modifiedAt))
      .limit(500);
    return c.json({ datasets: rows.map((r) => ({ ...r, modifiedAt: r.modifiedAt.toISOString() })) });
  })
  .get('/datasets/:id', async (c) => c.json(await datasetView(c.get('services').db, actorOf(c.get('principal')), c.req.param('id'))))
  .patch('/datasets/:id', signedIn, profileBody(updateSchema, turtleReader('update')), async (c) =>
    c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'update', update: c.req.valid('json') })),
  )
  .post('/datasets/:id/publish', async (c) =>
    c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'publish' })),
  )
  .post('/datasets/:id/withdraw', signedIn, profileBody(withdrawSchema), async (c) =>
    c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'withdraw', reason: c.req.valid('json').reason })),
  )
  /** Every version, newest first: for those who may edit the dataset. */
  .get('/datasets/:id/versions', async (c) => {
    const me = actor(c);
    const { db } = c.get('services');
    const id = c.req.param('id');
    const record = await readDataset(db, id);
    if (!record || !(await mayEdit(db, me, record))) throw new AppError('not_found', `no dataset ${id} you may edit`);
    const rows = await db
      .select()
      .from(catalogueDatasetVersions)
      .where(and(eq(catalogueDatasetVersions.datasetId, id)))
      .orderBy(desc(catalogueDatasetVersions.version));
    return c.json({
      versions: rows.map((v) => ({
        version: v.version,
        state: v.state,
        change: v.change,
        changedBy: v.changedBy,
        changedAt: v.changedAt.toISOString(),
        metadata: v.metadata,
      })),
    });
  })
  .route('/', hierarchyRoutes);
