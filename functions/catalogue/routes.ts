import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import { browseQuerySchema, registrationSchema, updateSchema, withdrawSchema } from '../../shared/catalogue/registration.ts';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import type { HubEnv } from '../env.ts';
import { callingUser } from '../middleware/guards.ts';
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
import { browseSchema, datasetRecordSchema, datasetViewSchema, myDatasetsSchema, versionsSchema } from './responses.ts';

const actor = (c: { get(key: 'principal'): HubEnv['Variables']['principal'] }): Actor => {
  const u = callingUser(c);
  return { sub: u.user.sub, admin: u.admin };
};

/** Who may register at all is decided before the body is read: others learn nothing from validation. */
const onlyDataHolders = createMiddleware<HubEnv>(async (c, next) => {
  const me = actor(c);
  if (!me.admin && !(await isDataHolder(c.get('services').db, me.sub)))
    throw new AppError('forbidden', 'only node admins and platform admins register datasets');
  return next();
});

// The routes, declared once each (who may call, schemas, answers); the handlers below take them in order.
// Who is asking is settled by the guard before any body is read: an anonymous caller gets 401, never a 422.
const EDITORS = "the dataset's editors: its owner, its node's admins and platform admins (a draft is 404 to anyone else)";
/** The profile's body, as JSON or Turtle; a body that does not satisfy the profile is 422 with every problem at once. */
const profile = <S extends z.ZodType>(schema: S, description: string, kind: 'register' | 'update') => ({
  description,
  content: { 'application/json': { schema }, 'text/turtle': {} },
  validator: profileBody(schema, turtleReader(kind)),
});
const PROFILE_ERRORS = {
  bad_request: 'the body is neither JSON nor Turtle, or the Turtle does not parse (with line and column)',
  unprocessable: 'the dataset does not satisfy the EUCAIM profile; `details` lists every problem',
} as const;

const browse = defineRoute({
  method: 'get',
  path: '/datasets',
  access: 'public',
  summary:
    'published datasets: full text, filters (values of one filter are alternatives, filters AND; EUCAIM DCAT-AP v2.0 codes, pre-v2.0 codes still read for one release), sorts, paging, facet counts; a value outside the vocabularies is 400',
  description:
    'Values of one filter are alternatives, filters AND together; a value outside the vocabularies is 400. Without `facets` the total stops counting at 1000 (`totalCapped`).',
  request: { query: browseQuerySchema },
  responses: { 200: json(browseSchema, 'A page of datasets.') },
});
const register = defineRoute({
  method: 'post',
  path: '/datasets',
  access: 'user',
  rule: 'node admins (for their nodes) and platform admins',
  summary:
    'register a draft (JSON or Turtle) `{ id?, nodeId?, representatives?, datasetHashes?, metadata }` (metadata: EUCAIM DCAT-AP v2.0, see "Catalogue model"); 422 lists every problem at once; 409 id taken',
  description: '`{ id?, nodeId?, representatives?, datasetHashes?, metadata }`; 422 lists every problem at once; 409 when the id is taken.',
  middleware: [onlyDataHolders],
  request: { body: profile(registrationSchema, 'The registration, as JSON or as Turtle in the profile.', 'register') },
  responses: { 201: json(datasetRecordSchema, 'Registered as a draft.') },
  errors: {
    ...PROFILE_ERRORS,
    forbidden: 'only node admins (for their own nodes) and platform admins register datasets',
    conflict: 'the id is taken',
  },
});
const mine = defineRoute({
  method: 'get',
  path: '/my-datasets',
  access: 'user',
  summary: 'the datasets the caller may edit, any state',
  responses: { 200: json(myDatasetsSchema, 'Newest change first, at most 500.') },
});
const one = defineRoute({
  method: 'get',
  path: '/datasets/:id',
  access: 'public-user',
  summary: 'one dataset with its biobank and network; drafts only for their editors (else 404); withdrawn as a tombstone',
  description: 'Drafts exist only for their editors (404 otherwise); a withdrawn dataset is a tombstone for everyone else.',
  responses: { 200: json(datasetViewSchema, 'The dataset.') },
  errors: { not_found: 'no such dataset (or a draft the caller may not edit)' },
});
const change = defineRoute({
  method: 'patch',
  path: '/datasets/:id',
  access: 'user',
  rule: EDITORS,
  summary: 'change a dataset: a new version, never an id change; a harvested dataset is changed at its source (409)',
  request: { body: profile(updateSchema, 'The fields to change, as JSON or as Turtle.', 'update') },
  responses: { 200: json(datasetRecordSchema, 'The new version.') },
  errors: {
    ...PROFILE_ERRORS,
    forbidden: 'only its editors change a dataset',
    not_found: 'no such dataset',
    conflict: 'not in this state',
  },
});
const publish = defineRoute({
  method: 'post',
  path: '/datasets/:id/publish',
  access: 'user',
  rule: EDITORS,
  summary: 'publish a draft',
  responses: { 200: json(datasetRecordSchema, 'Published.') },
  errors: {
    forbidden: 'only its editors publish a dataset',
    not_found: 'no such dataset',
    conflict: 'not in a state that can be published',
  },
});
const withdraw = defineRoute({
  method: 'post',
  path: '/datasets/:id/withdraw',
  access: 'user',
  rule: EDITORS,
  summary: 'withdraw a dataset `{ reason }`: it stays as a tombstone',
  request: {
    body: {
      description: '`{ reason }`',
      content: { 'application/json': { schema: withdrawSchema } },
      validator: profileBody(withdrawSchema),
    },
  },
  responses: { 200: json(datasetRecordSchema, 'Withdrawn.') },
  errors: {
    unprocessable: 'no reason given',
    forbidden: 'only its editors withdraw a dataset',
    not_found: 'no such dataset',
    conflict: 'already withdrawn',
  },
});
const versions = defineRoute({
  method: 'get',
  path: '/datasets/:id/versions',
  access: 'user',
  rule: EDITORS,
  summary: 'every version of a dataset, newest first',
  responses: { 200: json(versionsSchema, 'The versions.') },
  errors: { not_found: 'no dataset the caller may edit' },
});

/** `/api/v1/catalogue`: browsing is public; registration is for node admins (their nodes) and platform admins. */
export const catalogueRoutes = hubRouter({ tag: 'Catalogue' })
  .add(browse, async (c) => c.json(await browseDatasets(c.get('services').db, c.req.valid('query'))))
  .add(register, async (c) => c.json(await registerDataset(c.get('services'), actor(c), c.req.valid('json')), 201))
  /** What the caller may edit, in every state: their own, their nodes', everything for admins. */
  .add(mine, async (c) => {
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
  .add(one, async (c) => c.json(await datasetView(c.get('services').db, actorOf(c.get('principal')), c.req.param('id'))))
  .add(change, async (c) =>
    c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'update', update: c.req.valid('json') })),
  )
  .add(publish, async (c) => c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'publish' })))
  .add(withdraw, async (c) =>
    c.json(await changeDataset(c.get('services'), actor(c), c.req.param('id'), { kind: 'withdraw', reason: c.req.valid('json').reason })),
  )
  /** Every version, newest first: for those who may edit the dataset. */
  .add(versions, async (c) => {
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
