import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { capabilityManifestSchema } from '../../shared/job-protocol.ts';
import { ed25519PublicJwkSchema, nodeIdSchema } from '../../shared/node-auth.ts';
import { nodeHealthSchema } from '../../shared/processing/health.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { latestHealth } from '../processing/health-repo.ts';
import { nodeToolRoutes } from '../processing/tool-routes.ts';
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

const nodeListSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['active', 'disabled']),
      online: z.boolean(),
      lastSeenAt: z.iso.datetime().nullable(),
      version: z.string().nullable(),
      protocol: z
        .number()
        .int()
        .nullable()
        .describe('the bridge protocol its last heartbeat named (null: a bridge from before versioning)'),
      update: z
        .object({ due: z.boolean(), reason: z.enum(['unsupported', 'older']).optional(), message: z.string().optional() })
        .describe('whether the node should install another bridge release, and why'),
      capabilities: capabilityManifestSchema.nullable(),
      capabilitiesAt: z.iso.datetime().nullable(),
      /** The latest health report (federated processing's network monitor), or null. */
      health: z.object({ report: nodeHealthSchema, receivedAt: z.iso.datetime() }).nullable(),
    }),
  ),
});

/** The node registry, mounted at /api/v1/nodes, with each node's tool allow-list (processing/tool-routes.ts). */
export const nodeRoutes = hubRouter({ tag: 'Nodes' })
  .add(
    {
      method: 'get',
      path: '/',
      access: 'member',
      summary: 'nodes with online state, version, protocol, whether an update is due, capabilities and the latest health report',
      responses: { 200: json(nodeListSchema, 'Every registered node.') },
    },
    async (c) => {
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
    },
  )
  /** Registers a bridge with the public key its `enrol` printed. Re-registering an id is a conflict. */
  .add(
    {
      method: 'post',
      path: '/',
      access: 'admin',
      summary: "register a bridge's public key",
      description: 'Registers a bridge with the public key its `enrol` printed, and who administers the node.',
      request: { json: registerNodeSchema },
      responses: { 201: json(z.object({ id: z.string() }), 'Registered.') },
      errors: { conflict: 'the node id is already registered' },
    },
    async (c) => {
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
    },
  )
  .route('/', nodeToolRoutes);
