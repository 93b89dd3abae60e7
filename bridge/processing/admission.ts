import { type DatasetUri, type RunJobPayload, type RunReasonCode, type RunState, datasetUriSchema } from '../../shared/processing/run.ts';
import type { ToolApproval } from '../../shared/processing/tool.ts';
import type { Db } from '../index/schema.ts';
import type { ContainerEngine } from './engine.ts';
import type { GrantCheck } from './grant-check.ts';
import { type PlannedFile, planInputs } from './layout.ts';
import { checkParameters } from '../../shared/processing/parameters.ts';

export interface AdmissionDeps {
  nodeId: string;
  db: Db;
  engine: ContainerEngine;
  approvals: () => readonly ToolApproval[];
  checkGrants: GrantCheck;
  /** GPUs this node can hand to containers (0 without nvidia-smi). */
  gpuCount: () => Promise<number>;
}

export interface Admitted {
  ok: true;
  tool: ToolApproval;
  env: string[];
  paramsJson: string;
  files: PlannedFile[];
  timeoutMs: number;
}

export interface Refused {
  ok: false;
  state: Extract<RunState, 'not_allowed' | 'failed'>;
  code: RunReasonCode;
  message: string;
}

const refuse = (code: RunReasonCode, message: string): Refused => ({ ok: false, state: 'not_allowed', code, message });

/**
 * Everything that must hold before a sandbox is made or a container created, checked by the node
 * itself rather than taken from the hub: the tool is one this node approved (same version and
 * digest), the parameters fit its schema, the inputs are this node's and within the tool's range,
 * the user's signed grants cover every dataset, the GPUs exist, and the approved image is here.
 */
export async function admit(deps: AdmissionDeps, payload: RunJobPayload): Promise<Admitted | Refused> {
  const tool = deps.approvals().find((t) => t.id === payload.tool.id && t.version === payload.tool.version);
  if (!tool || tool.image.digest !== payload.tool.digest)
    return refuse('tool_not_approved', 'this node has not approved this tool version with this image digest');

  const params = checkParameters(tool.parameters, payload.parameters);
  if (!params.ok) return refuse('parameters_invalid', params.problems.join('; '));

  const uris: DatasetUri[] = [];
  for (const raw of payload.inputs) {
    const uri = datasetUriSchema.safeParse(raw);
    if (!uri.success) return refuse('inputs_invalid', `${raw.slice(0, 200)}: must be node_id:dataset[/subject[/experiment[/scan]]]`);
    if (uri.data.nodeId !== deps.nodeId) return refuse('inputs_invalid', `${raw.slice(0, 200)}: names another node`);
    uris.push(uri.data);
  }
  if (uris.length < tool.inputs.min || uris.length > tool.inputs.max)
    return refuse('inputs_invalid', `this tool takes ${tool.inputs.min} to ${tool.inputs.max} inputs`);

  const datasets = [...new Set(uris.map((u) => u.dataset))];
  const grants = await deps.checkGrants({ user: payload.user, datasets, grants: payload.grants });
  if (!grants.ok) return refuse('grant_invalid', grants.problem);

  if (tool.flavour.gpus > 0) {
    const have = await deps.gpuCount();
    if (have < tool.flavour.gpus) return refuse('gpus_unavailable', `the tool asks for ${tool.flavour.gpus} GPU(s); this node has ${have}`);
  }

  const image = await deps.engine.imageStatus(tool.image.digest, tool.image.reference);
  if (image !== 'ready')
    return refuse(
      'tool_not_ready',
      image === 'image_missing' ? 'the approved image is not on this node' : 'the local image tag does not resolve to the approved digest',
    );

  const plan = planInputs(deps.db, uris);
  if (!plan.ok) return refuse('inputs_invalid', plan.problem);

  const timeoutSeconds = Math.min(tool.timeoutSeconds, payload.timeoutSeconds ?? tool.timeoutSeconds);
  return { ok: true, tool, env: params.env, paramsJson: params.json, files: plan.files, timeoutMs: timeoutSeconds * 1000 };
}
