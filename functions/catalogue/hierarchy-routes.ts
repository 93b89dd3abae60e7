// Networks > dataset series ("imaging biobanks") > datasets: public reading with counts of
// published datasets, creation by platform admins. And the dashboard figures.
import { asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { createNetworkSchema, createSeriesSchema } from '../../shared/catalogue/registration.ts';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, hubRouter, json } from '../api/hub-router.ts';
import type { Database } from '../db/client.ts';
import { profileBody } from './body.ts';
import { catalogueDatasets, catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import { dashboardFigures } from './dashboard.ts';
import { dashboardSchema, networkViewSchema, seriesDetailSchema, seriesViewSchema } from './responses.ts';

async function seriesWithCounts(db: Database, networkId?: string) {
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(catalogueSeries)
      .where(networkId ? eq(catalogueSeries.networkId, networkId) : undefined)
      .orderBy(asc(catalogueSeries.title)),
    db
      .select({ id: catalogueDatasets.seriesId, n: count() })
      .from(catalogueDatasets)
      .where(eq(catalogueDatasets.state, 'published'))
      .groupBy(catalogueDatasets.seriesId),
  ]);
  const published = new Map(counts.map((r) => [r.id, r.n]));
  return rows.map((r) => ({
    id: r.id,
    networkId: r.networkId,
    title: r.title,
    description: r.description,
    publisher: r.publisher,
    datasets: published.get(r.id) ?? 0,
  }));
}

async function networks(db: Database) {
  const [rows, series] = await Promise.all([
    db.select().from(catalogueNetworks).orderBy(asc(catalogueNetworks.title)),
    seriesWithCounts(db),
  ]);
  return rows.map((n) => ({ id: n.id, title: n.title, description: n.description, series: series.filter((s) => s.networkId === n.id) }));
}

// The routes, declared once each; the handlers below take them in order.
/** A JSON body checked against the profile: 422 with every problem at once. */
const profileJson = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
  validator: profileBody(schema),
});
const listNetworks = defineRoute({
  method: 'get',
  path: '/networks',
  access: 'public',
  summary: 'every network with its imaging biobanks and their published counts',
  responses: { 200: json(z.object({ networks: z.array(networkViewSchema) }), 'The networks.') },
});
const createNetwork = defineRoute({
  method: 'post',
  path: '/networks',
  access: 'admin',
  summary: 'create a network',
  request: { body: profileJson(createNetworkSchema, '`{ id, title, description }`') },
  responses: { 201: json(createNetworkSchema, 'Created.') },
  errors: { unprocessable: 'the network does not satisfy the profile', conflict: 'the id exists' },
});
const oneNetwork = defineRoute({
  method: 'get',
  path: '/networks/:id',
  access: 'public',
  summary: 'one network with its imaging biobanks',
  responses: { 200: json(networkViewSchema, 'The network.') },
  errors: { not_found: 'no such network' },
});
const listSeries = defineRoute({
  method: 'get',
  path: '/series',
  access: 'public',
  summary: 'every imaging biobank (dataset series) with its published count',
  responses: { 200: json(z.object({ series: z.array(seriesViewSchema) }), 'The series.') },
});
const createSeries = defineRoute({
  method: 'post',
  path: '/series',
  access: 'admin',
  summary: 'create an imaging biobank (dataset series) in a network',
  request: { body: profileJson(createSeriesSchema, '`{ id, title, description, publisher, networkId }`') },
  responses: { 201: json(createSeriesSchema, 'Created.') },
  errors: { unprocessable: 'the series does not satisfy the profile, or its network does not exist', conflict: 'the id exists' },
});
const oneSeries = defineRoute({
  method: 'get',
  path: '/series/:id',
  access: 'public',
  summary: 'one imaging biobank with its network',
  responses: { 200: json(seriesDetailSchema, 'The series.') },
  errors: { not_found: 'no such series' },
});
const dashboard = defineRoute({
  method: 'get',
  path: '/dashboard',
  access: 'public',
  summary: 'totals, subjects and studies of the largest datasets, studies per modality, datasets per body part',
  responses: { 200: json(dashboardSchema, 'The figures.') },
});

export const hierarchyRoutes = hubRouter({ tag: 'Catalogue' })
  /** The whole hierarchy above the datasets: every network with its series and their published counts. */
  .add(listNetworks, async (c) => c.json({ networks: await networks(c.get('services').db) }))
  .add(createNetwork, async (c) => {
    const body = c.req.valid('json');
    const rows = await c
      .get('services')
      .db.insert(catalogueNetworks)
      .values(body)
      .onConflictDoNothing()
      .returning({ id: catalogueNetworks.id });
    if (!rows.length) throw new AppError('conflict', `network ${body.id} exists`);
    return c.json(body, 201);
  })
  .add(oneNetwork, async (c) => {
    const found = (await networks(c.get('services').db)).find((n) => n.id === c.req.param('id'));
    if (!found) throw new AppError('not_found', `no network ${c.req.param('id')}`);
    return c.json(found);
  })
  .add(listSeries, async (c) => c.json({ series: await seriesWithCounts(c.get('services').db) }))
  .add(createSeries, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('services').db;
    const [network] = await db.select({ n: count() }).from(catalogueNetworks).where(eq(catalogueNetworks.id, body.networkId));
    if (!network?.n)
      throw new AppError('unprocessable', 'the series refers to what does not exist', [
        { path: 'networkId', message: `no network ${body.networkId}` },
      ]);
    const rows = await db.insert(catalogueSeries).values(body).onConflictDoNothing().returning({ id: catalogueSeries.id });
    if (!rows.length) throw new AppError('conflict', `series ${body.id} exists`);
    return c.json(body, 201);
  })
  .add(oneSeries, async (c) => {
    const db = c.get('services').db;
    const found = (await seriesWithCounts(db)).find((s) => s.id === c.req.param('id'));
    if (!found) throw new AppError('not_found', `no dataset series ${c.req.param('id')}`);
    const [network] = await db
      .select({ id: catalogueNetworks.id, title: catalogueNetworks.title })
      .from(catalogueNetworks)
      .where(eq(catalogueNetworks.id, found.networkId));
    return c.json({ ...found, network: network ?? null });
  })
  .add(dashboard, async (c) => c.json(await dashboardFigures(c.get('services').db)));
