import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { toolApprovalSchema, toolIdSchema } from '../../shared/processing/tool.ts';
import type { HubEnv } from '../env.ts';
import { callingUser, requireAdmin, requireMember, type UserPrincipal } from '../middleware/guards.ts';
import { validate } from '../middleware/validate.ts';
import { nodeAdmins, nodes } from '../nodes/nodes.sql.ts';
import type { Services } from '../services.ts';
import { nodeTools, tools } from './processing.sql.ts';

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
export const toolRoutes = new Hono<HubEnv>()
  .get('/', requireMember, async (c) => {
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
  })
  /** A tool version is immutable once approved: a changed image or schema is a new version. */
  .post('/', requireAdmin, validate('json', toolApprovalSchema), async (c) => {
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
  });

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

/** A node's own allow-list, mounted at /api/v1/nodes: `PUT` allows a tool version there, `DELETE` takes it back. */
export const nodeToolRoutes = new Hono<HubEnv>()
  .put('/:nodeId/tools/:toolId/:version', validate('param', nodeToolParams), async (c) => {
    const s = c.get('services');
    const p = callingUser(c);
    const { nodeId, toolId, version } = c.req.valid('param');
    await checkNodeToolChange(s, p, nodeId, toolId, version);
    await s.db.insert(nodeTools).values({ nodeId, toolId, toolVersion: version, approvedBy: p.user.sub }).onConflictDoNothing();
    c.get('log').info('tool allowed on node', { nodeId, toolId, version });
    return c.json({ nodeId, toolId, version, allowed: true });
  })
  .delete('/:nodeId/tools/:toolId/:version', validate('param', nodeToolParams), async (c) => {
    const s = c.get('services');
    const { nodeId, toolId, version } = c.req.valid('param');
    await checkNodeToolChange(s, callingUser(c), nodeId, toolId, version);
    await s.db.delete(nodeTools).where(and(eq(nodeTools.nodeId, nodeId), eq(nodeTools.toolId, toolId), eq(nodeTools.toolVersion, version)));
    c.get('log').info('tool withdrawn from node', { nodeId, toolId, version });
    return c.json({ nodeId, toolId, version, allowed: false });
  });
