import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { HubEnv } from '../env.ts';
import { listNodes } from '../nodes/node-repo.ts';

/** Public liveness: the database answers, and which bridges are online (ids only, no details). */
export const healthRoutes = new Hono<HubEnv>().get('/', async (c) => {
  const s = c.get('services');
  await s.db.execute(sql`select 1`);
  const nodes = await listNodes(s);
  return c.json({
    status: 'ok' as const,
    time: s.clock.now().toISOString(),
    nodes: nodes.map((n) => ({ id: n.id, online: n.online, lastSeenAt: n.lastSeenAt?.toISOString() ?? null })),
  });
});
