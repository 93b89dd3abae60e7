import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { ed25519PublicJwkSchema, nodeIdSchema } from '../../shared/node-auth.ts';
import type { HubEnv } from '../env.ts';
import { requireAdmin, requireMember } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { latestHealth } from '../processing/health-repo.ts';
import { listNodes } from './node-repo.ts';
import { nodeAdmins, nodes } from './nodes.sql.ts';

export const registerNodeSchema = z
  .object({
    id: nodeIdSchema,
    name: z.string().min(1).max(200),
    publicJwk: ed25519PublicJwkSchema.transform((k) => ({ kty: k.kty, crv: k.crv, x: k.x })),
    queueUrl: z.string().url().optional(),
    admins: z.array(z.string().min(1).max(200)).max(50).default([]),
  })
  .strict();

export const nodeRoutes = new Hono<HubEnv>()
  .get('/', requireMember, async (c) => {
    const list = await listNodes(c.get('services'));
    // The latest health report per node (federated processing's network monitor), or null.
    const health = await latestHealth(
      c.get('services'),
      list.map((n) => n.id),
    );
    return c.json({
      nodes: list.map((n) => ({
        ...n,
        lastSeenAt: n.lastSeenAt?.toISOString() ?? null,
        capabilitiesAt: n.capabilitiesAt?.toISOString() ?? null,
        health: health.get(n.id) ?? null,
      })),
    });
  })
  /** Registers a bridge with the public key its `enrol` printed. Re-registering an id is a conflict. */
  .post('/', requireAdmin, validate('json', registerNodeSchema), async (c) => {
    const s = c.get('services');
    const body = c.req.valid('json');
    const created = await s.db.transaction(async (tx) => {
      const rows = await tx
        .insert(nodes)
        .values({ id: body.id, name: body.name, publicJwk: body.publicJwk, queueUrl: body.queueUrl ?? null })
        .onConflictDoNothing()
        .returning({ id: nodes.id });
      if (rows.length === 0) return false;
      if (body.admins.length) await tx.insert(nodeAdmins).values(body.admins.map((subject) => ({ nodeId: body.id, subject })));
      return true;
    });
    if (!created) throw new AppError('conflict', `node ${body.id} is already registered`);
    c.get('log').info('node registered', { nodeId: body.id });
    return c.json({ id: body.id }, 201);
  });
