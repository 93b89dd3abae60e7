import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { toolApprovalSchema, toolIdSchema } from '../../shared/processing/tool.ts';
import { hubRouter, json } from '../api/hub-router.ts';
import { callingUser, type UserPrincipal } from '../middleware/guards.ts';
import { nodeAdmins, nodes } from '../nodes/nodes.sql.ts';
import type { Services } from '../services.ts';
import { nodeTools, tools } from './processing.sql.ts';
import { nodeToolSchema, toolListSchema } from './responses.ts';

const nodeToolParams = z.object({ nodeId: nodeIdSchema, toolId: toolIdSchema, version: z.string().min(1).max(64) });

/** The nodes whose tool list this user may change: the ones they administer, or all for platform admins. */
export async function administeredNodes(s: Pick<Services, 'db'>, p: UserPrincipal): Promise<string[]> {
  if (p.admin) return (await s.db.select({ id: nodes.id }).from(nodes).orderBy(nodes.id)).map((r) => r.id);
  const rows = await s.db
    .select({ id: nodeAdmins.nodeId })
    .from(nodeAdmins)
    .where(eq(nodeAdmins.subject, p.user.sub))
    .orderBy(nodeAdmins.nodeId);
  return rows.map((r) => r.id);
}

/** The tool registry, mounted at /api/v1/tools: members read it, platform admins approve tools. */
export const toolRoutes = hubRouter({ tag: 'Processing' })
  .add(
    {
      method: 'get',
      path: '/',
      access: 'member',
      summary: 'approved tools (image by digest, typed parameters, output allow-list, flavour, timeout, docs) and the nodes allowing each',
      description:
        'Approved tools (image by digest, typed parameters, output allow-list, flavour, timeout, docs) and the nodes allowing each.',
      responses: { 200: json(toolListSchema, 'Every approved tool version.') },
    },
    async (c) => {
      const s = c.get('services');
      const [rows, approvals, mine] = await Promise.all([
        s.db.select().from(tools).orderBy(tools.id, tools.version),
        s.db.select().from(nodeTools),
        administeredNodes(s, callingUser(c)),
      ]);
      return c.json({
        tools: rows.map((t) => ({
          ...t.approval,
          approvedBy: t.approvedBy,
          createdAt: t.createdAt.toISOString(),
          nodes: approvals
            .filter((a) => a.toolId === t.id && a.toolVersion === t.version)
            .map((a) => a.nodeId)
            .sort(),
        })),
        /** Where the caller may switch tools on and off. */
        myNodes: mine,
      });
    },
  )
  /** A tool version is immutable once approved: a changed image or schema is a new version. */
  .add(
    {
      method: 'post',
      path: '/',
      access: 'admin',
      summary: 'approve a tool version (immutable)',
      request: { json: toolApprovalSchema },
      responses: { 201: json(z.object({ id: z.string(), version: z.string() }), 'Approved.') },
      errors: { conflict: 'this tool version is already registered; approve a new version instead' },
    },
    async (c) => {
      const s = c.get('services');
      const approval = c.req.valid('json');
      const rows = await s.db
        .insert(tools)
        .values({
          id: approval.id,
          version: approval.version,
          approval,
          docsUrl: approval.docsUrl ?? null,
          approvedBy: callingUser(c).user.sub,
        })
        .onConflictDoNothing()
        .returning({ id: tools.id });
      if (rows.length === 0)
        throw new AppError('conflict', `tool ${approval.id} ${approval.version} is already registered; approve a new version instead`);
      c.get('log').info('tool approved', { toolId: approval.id, version: approval.version });
      return c.json({ id: approval.id, version: approval.version }, 201);
    },
  );

async function checkNodeToolChange(s: Services, p: UserPrincipal, nodeId: string, toolId: string, version: string): Promise<void> {
  const [node] = await s.db.select({ id: nodes.id }).from(nodes).where(eq(nodes.id, nodeId));
  if (!node) throw new AppError('not_found', `no node ${nodeId}`);
  if (!(await administeredNodes(s, p)).includes(nodeId))
    throw new AppError('forbidden', `only the administrators of ${nodeId} decide which tools run there`);
  const [tool] = await s.db
    .select({ id: tools.id })
    .from(tools)
    .where(and(eq(tools.id, toolId), eq(tools.version, version)));
  if (!tool) throw new AppError('not_found', `no approved tool ${toolId} ${version}`);
}

const nodeToolChange = {
  access: 'user',
  rule: "that node's admins, and platform admins",
  request: { params: nodeToolParams },
  errors: {
    forbidden: 'only the administrators of the node decide which tools run there',
    not_found: 'no such node or approved tool version',
  },
} as const;

/** A node's own allow-list, mounted under /api/v1/nodes: `PUT` allows a tool version there, `DELETE` takes it back. */
export const nodeToolRoutes = hubRouter({ tag: 'Processing' })
  .add(
    {
      ...nodeToolChange,
      method: 'put',
      path: '/:nodeId/tools/:toolId/:version',
      summary: 'allow a tool version on a node',
      responses: { 200: json(nodeToolSchema, 'Allowed.') },
    },
    async (c) => {
      const s = c.get('services');
      const p = callingUser(c);
      const { nodeId, toolId, version } = c.req.valid('param');
      await checkNodeToolChange(s, p, nodeId, toolId, version);
      await s.db.insert(nodeTools).values({ nodeId, toolId, toolVersion: version, approvedBy: p.user.sub }).onConflictDoNothing();
      c.get('log').info('tool allowed on node', { nodeId, toolId, version });
      return c.json({ nodeId, toolId, version, allowed: true });
    },
  )
  .add(
    {
      ...nodeToolChange,
      method: 'delete',
      path: '/:nodeId/tools/:toolId/:version',
      summary: 'withdraw a tool version from a node',
      responses: { 200: json(nodeToolSchema, 'Withdrawn.') },
    },
    async (c) => {
      const s = c.get('services');
      const { nodeId, toolId, version } = c.req.valid('param');
      await checkNodeToolChange(s, callingUser(c), nodeId, toolId, version);
      await s.db
        .delete(nodeTools)
        .where(and(eq(nodeTools.nodeId, nodeId), eq(nodeTools.toolId, toolId), eq(nodeTools.toolVersion, version)));
      c.get('log').info('tool withdrawn from node', { nodeId, toolId, version });
      return c.json({ nodeId, toolId, version, allowed: false });
    },
  );
