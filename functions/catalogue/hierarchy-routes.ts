// Networks > dataset series ("imaging biobanks") > datasets: public reading with counts of
// published datasets, creation by platform admins. And the dashboard figures.
import { asc, count, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { createNetworkSchema, createSeriesSchema } from '../../shared/catalogue/registration.ts';
import { AppError } from '../../shared/errors.ts';
import type { Database } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { requireAdmin } from '../middleware/guards.ts';
import { profileBody } from './body.ts';
import { catalogueDatasets, catalogueNetworks, catalogueSeries } from './catalogue.sql.ts';
import { dashboardFigures } from './dashboard.ts';

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

export const hierarchyRoutes = new Hono<HubEnv>()
  /** The whole hierarchy above the datasets: every network with its series and their published counts. */
  .get('/networks', async (c) => c.json({ networks: await networks(c.get('services').db) }))
  .post('/networks', requireAdmin, profileBody(createNetworkSchema), async (c) => {
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
  .get('/networks/:id', async (c) => {
    const found = (await networks(c.get('services').db)).find((n) => n.id === c.req.param('id'));
    if (!found) throw new AppError('not_found', `no network ${c.req.param('id')}`);
    return c.json(found);
  })
  .get('/series', async (c) => c.json({ series: await seriesWithCounts(c.get('services').db) }))
  .post('/series', requireAdmin, profileBody(createSeriesSchema), async (c) => {
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
  .get('/series/:id', async (c) => {
    const db = c.get('services').db;
    const found = (await seriesWithCounts(db)).find((s) => s.id === c.req.param('id'));
    if (!found) throw new AppError('not_found', `no dataset series ${c.req.param('id')}`);
    const [network] = await db
      .select({ id: catalogueNetworks.id, title: catalogueNetworks.title })
      .from(catalogueNetworks)
      .where(eq(catalogueNetworks.id, found.networkId));
    return c.json({ ...found, network: network ?? null });
  })
  .get('/dashboard', async (c) => c.json(await dashboardFigures(c.get('services').db)));
