import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { hubRouter, json } from '../api/hub-router.ts';
import { listNodes } from '../nodes/node-repo.ts';

const healthSchema = z.object({
  status: z.literal('ok'),
  time: z.iso.datetime(),
  nodes: z.array(z.object({ id: z.string(), online: z.boolean(), lastSeenAt: z.iso.datetime().nullable() })),
});

export const healthRoutes = hubRouter({ tag: 'Hub' }).add(
  {
    method: 'get',
    path: '/',
    access: 'public',
    summary: 'database up, nodes online',
    description: 'Liveness: the database answers, and which bridges are online (ids only, no details).',
    responses: { 200: json(healthSchema, 'The hub is up.') },
    errors: { internal: 'the database does not answer' },
  },
  async (c) => {
    const s = c.get('services');
    await s.db.execute(sql`select 1`);
    const nodes = await listNodes(s);
    return c.json({
      status: 'ok' as const,
      time: s.clock.now().toISOString(),
      nodes: nodes.map((n) => ({ id: n.id, online: n.online, lastSeenAt: n.lastSeenAt?.toISOString() ?? null })),
    });
  },
);
