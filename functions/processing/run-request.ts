import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { toolReadyOn } from '../../shared/processing/health.ts';
import { checkParameters } from '../../shared/processing/parameters.ts';
import { AppError } from '../../shared/errors.ts';
import { nodeIdSchema } from '../../shared/node-auth.ts';
import { type DatasetUri, datasetUriSchema, parameterValueSchema } from '../../shared/processing/run.ts';
import { type ToolApproval, toolIdSchema } from '../../shared/processing/tool.ts';
import { accessGrants } from '../negotiation/negotiation.sql.ts';
import { isOnline } from '../nodes/node-repo.ts';
import { nodes } from '../nodes/nodes.sql.ts';
import type { Services } from '../services.ts';
import { nodeHealth, nodeTools, tools } from './processing.sql.ts';

/** The access models that cover running a tool on the data where it lives (seed, section 4.7). */
export const PROCESSING_ACCESS = ['REMOTE_PROCESSING', 'IN_SITU_PROCESSING'] as const;

/** The user's grants that allow processing now: not revoked, not expired, of a processing kind. */
export const liveProcessingGrants = (user: string, now: Date) =>
  and(
    eq(accessGrants.userSub, user),
    isNull(accessGrants.revokedAt),
    gt(accessGrants.expiresAt, now),
    inArray(accessGrants.access, [...PROCESSING_ACCESS]),
  );

const uriString = z
  .string()
  .max(1000)
  .refine((u) => datasetUriSchema.safeParse(u).success, 'must be node_id:dataset[/subject[/experiment[/scan]]]');

export const createRunSchema = z
  .object({
    tool: z.object({ id: toolIdSchema, version: z.string().min(1).max(64) }).strict(),
    parameters: z.record(z.string().max(64), parameterValueSchema).default({}),
    inputs: z.array(uriString).min(1).max(100),
    /** Optional: the nodes of the inputs. When given it must name exactly those nodes. */
    nodes: z.array(nodeIdSchema).min(1).max(50).optional(),
    /** May shorten the tool's approved timeout, never lengthen it. */
    timeoutSeconds: z.number().int().positive().optional(),
  })
  .strict();
export type CreateRunInput = z.infer<typeof createRunSchema>;

export interface NodePlan {
  nodeId: string;
  inputs: string[];
  datasets: string[];
  grants: string[];
}
export interface RunPlan {
  tool: ToolApproval;
  nodes: NodePlan[];
}

// Catalogue dataset ids are UUIDs (the grant's `dataset` claim); anything else cannot have a grant.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Everything the hub checks before a run exists, in the order a user can fix it: the tool and its
 * typed parameters (400), the user's grants (403), then whether each node can take the run (409).
 */
export async function planRun(s: Services, user: string, input: CreateRunInput): Promise<RunPlan> {
  const [row] = await s.db
    .select()
    .from(tools)
    .where(and(eq(tools.id, input.tool.id), eq(tools.version, input.tool.version)));
  if (!row) throw new AppError('not_found', `no approved tool ${input.tool.id} ${input.tool.version}`);
  const tool = row.approval;

  const params = checkParameters(tool.parameters, input.parameters);
  if (!params.ok)
    throw new AppError(
      'bad_request',
      'the parameters do not fit the tool',
      params.problems.map((p) => ({ path: `parameters.${p.split(':')[0]}`, message: p })),
    );
  if (input.timeoutSeconds !== undefined && input.timeoutSeconds > tool.timeoutSeconds)
    throw new AppError('bad_request', `the tool allows at most ${tool.timeoutSeconds} s`);

  const byNode = new Map<string, { inputs: string[]; uris: DatasetUri[] }>();
  for (const raw of input.inputs) {
    const uri = datasetUriSchema.parse(raw);
    const entry = byNode.get(uri.nodeId) ?? { inputs: [], uris: [] };
    entry.inputs.push(raw);
    entry.uris.push(uri);
    byNode.set(uri.nodeId, entry);
  }
  if (input.nodes) {
    const asked = [...new Set(input.nodes)].sort();
    const have = [...byNode.keys()].sort();
    if (asked.join() !== have.join())
      throw new AppError('bad_request', `the inputs are on ${have.join(', ')}; every chosen node needs an input`, [
        { path: 'nodes', message: 'must be the nodes of the inputs' },
      ]);
  }
  for (const [nodeId, e] of byNode) {
    if (e.inputs.length < tool.inputs.min || e.inputs.length > tool.inputs.max)
      throw new AppError('bad_request', `${nodeId}: this tool takes ${tool.inputs.min} to ${tool.inputs.max} inputs per node`, [
        { path: 'inputs', message: 'wrong number of inputs' },
      ]);
  }

  const datasets = [...new Set([...byNode.values()].flatMap((e) => e.uris.map((u) => u.dataset)))];
  const grantOf = await validGrants(s, user, datasets);
  const missing = datasets.filter((d) => !grantOf.has(d));
  if (missing.length) throw new AppError('forbidden', `no valid processing grant for ${missing.join(', ')}`, { datasets: missing });

  await checkNodes(s, tool, [...byNode.keys()]);
  return {
    tool,
    nodes: [...byNode.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([nodeId, e]) => {
        const ds = [...new Set(e.uris.map((u) => u.dataset))];
        return { nodeId, inputs: e.inputs, datasets: ds, grants: ds.flatMap((d) => grantOf.get(d) ?? []) };
      }),
  };
}

/** The signed statements of the user's live processing grants, per dataset: not revoked, not expired. */
async function validGrants(s: Services, user: string, datasets: string[]): Promise<Map<string, string[]>> {
  const ids = datasets.filter((d) => UUID.test(d)).map((d) => d.toLowerCase());
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await s.db
    .select({ datasetId: accessGrants.datasetId, jws: accessGrants.jws })
    .from(accessGrants)
    .where(and(liveProcessingGrants(user, s.clock.now()), inArray(accessGrants.datasetId, ids)));
  for (const d of datasets) {
    const jws = rows.filter((r) => r.datasetId === d.toLowerCase()).map((r) => r.jws);
    if (jws.length) out.set(d, jws);
  }
  return out;
}

export type NodeRefusal = 'unknown' | 'offline' | 'tool_not_approved' | 'tool_not_ready';

/** Which of these nodes cannot take a run of this tool now, and why (none: all can). */
export async function nodeRefusals(s: Services, tool: ToolApproval, ids: string[]): Promise<{ nodeId: string; reason: NodeRefusal }[]> {
  const [known, allowed, health] = await Promise.all([
    s.db.select({ id: nodes.id, status: nodes.status, lastSeenAt: nodes.lastSeenAt }).from(nodes).where(inArray(nodes.id, ids)),
    s.db
      .select({ nodeId: nodeTools.nodeId })
      .from(nodeTools)
      .where(and(inArray(nodeTools.nodeId, ids), eq(nodeTools.toolId, tool.id), eq(nodeTools.toolVersion, tool.version))),
    s.db.select().from(nodeHealth).where(inArray(nodeHealth.nodeId, ids)),
  ]);
  const refusals: { nodeId: string; reason: NodeRefusal }[] = [];
  for (const nodeId of ids) {
    const node = known.find((n) => n.id === nodeId);
    const ready = toolReadyOn(health.find((h) => h.nodeId === nodeId)?.report, tool);
    const reason: NodeRefusal | undefined = !node
      ? 'unknown'
      : node.status !== 'active' || !isOnline(s, node.lastSeenAt)
        ? 'offline'
        : !allowed.some((a) => a.nodeId === nodeId)
          ? 'tool_not_approved'
          : !ready
            ? 'tool_not_ready'
            : undefined;
    if (reason) refusals.push({ nodeId, reason });
  }
  return refusals;
}

async function checkNodes(s: Services, tool: ToolApproval, ids: string[]): Promise<void> {
  const refusals = await nodeRefusals(s, tool, ids);
  // 409: the request is well formed and permitted, but the federation's state does not allow it now.
  if (refusals.length)
    throw new AppError(
      'conflict',
      `not every node can run ${tool.id} ${tool.version} now: ${refusals.map((r) => `${r.nodeId} ${r.reason}`).join(', ')}`,
      { nodes: refusals },
    );
}
