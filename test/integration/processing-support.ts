import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { accessGrants, negotiations } from '../../functions/negotiation/negotiation.sql.ts';
import { newId } from '../../shared/ids.ts';
import type { AccessCondition } from '../../shared/negotiation/grant.ts';
import type { NodeHealth } from '../../shared/processing/health.ts';
import type { ToolApprovalInput } from '../../shared/processing/tool.ts';
import { offsetClock } from '../support/clock.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

export type Sim = Awaited<ReturnType<typeof nodeClient>>;

export const DIGEST = `sha256:${'ab'.repeat(32)}`;

export const countTool = (over: Partial<ToolApprovalInput> = {}): ToolApprovalInput => ({
  id: 'count-series',
  version: '1.0',
  image: { reference: 'registry.eucaim.local/count-series:1.0', digest: DIGEST },
  description: 'Counts the series of each study',
  docsUrl: 'https://docs.example.org/count-series',
  parameters: [
    { name: 'threshold', type: 'integer', min: 0, max: 100, required: true },
    { name: 'label', type: 'string', maxLength: 20 },
  ],
  inputs: { min: 1, max: 3 },
  outputs: { allow: ['*.json', 'plots/*.png'], maxFileBytes: 1000, maxTotalBytes: 1500, maxFiles: 3 },
  flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024 },
  timeoutSeconds: 600,
  ...over,
});

/** A health report as a bridge sends it; `ready` names the tools whose image is ready. */
export function healthReport(ready: { toolId: string; digest: string; ready: boolean }[] = [], nowMs = Date.now()): NodeHealth {
  return {
    version: '1.4.2',
    collectedAt: nowMs,
    hub: { online: true, responseMs: 12, clockSkewSeconds: 0 },
    cpu: { count: 8, load1: 0.5, load5: 0.4, load15: 0.3 },
    memory: { totalBytes: 16 * 2 ** 30, availableBytes: 9 * 2 ** 30 },
    gpus: { count: 1, source: 'nvidia-smi', devices: [{ model: 'NVIDIA A100', memoryBytes: 40 * 2 ** 30 }] },
    engine: { reachable: true, name: 'Podman Engine', version: '4.3.1', apiVersion: '1.41' },
    paths: {
      data: { exists: true, readOnly: true, freeBytes: 10 ** 12, totalBytes: 2 * 10 ** 12 },
      sandbox: { exists: true, writable: true, freeBytes: 10 ** 11 },
    },
    tools: ready.map((t) => ({ ...t, present: t.ready })),
    tls: { checked: true, https: true, daysLeft: 42, validTo: 'Jan  7 00:00:00 2027 GMT', authorized: true },
  };
}

/**
 * A hub with two registered nodes (administered by `dataholder`), a registered tool allowed and
 * ready on both, and helpers to give users grants and to act as the nodes.
 */
export async function processingFederation(opts: { env?: Record<string, string>; webRoot?: string } = {}) {
  const clock = offsetClock();
  const hub: TestHub = await startTestHub({ clock, env: opts.env, webRoot: opts.webRoot });
  const admin = await hub.client('admin');
  const sims: Sim[] = [];
  for (const id of ['node-a', 'node-b']) {
    const n = await nodeClient(hub.url, id);
    const res = await admin.api.v1.nodes.$post({ json: { id, name: `Node ${id}`, publicJwk: n.publicJwk, admins: ['dataholder'] } });
    expect(res.status).toBe(201);
    sims.push(n);
  }
  const [a, b] = sims as [Sim, Sim];
  const tool = countTool();
  expect((await admin.api.v1.tools.$post({ json: tool })).status).toBe(201);
  const holder = await hub.client('dataholder');
  for (const n of sims) {
    const res = await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({
      param: { nodeId: n.nodeId, toolId: tool.id, version: tool.version },
    });
    expect(res.status).toBe(200);
  }

  const sendHealth = async (n: Sim, ready = true) => {
    const res = await n.call('POST', '/api/v1/bridge/health', healthReport([{ toolId: tool.id, digest: DIGEST, ready }], clock.ms()), {
      nowMs: clock.ms(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  };

  /** A grant row as the negotiation service issues it, with a statement signed by the hub's grant key. */
  const grant = async (user: string, o: { access?: AccessCondition; days?: number; revoked?: boolean; dataset?: string } = {}) => {
    const dataset = o.dataset ?? randomUUID();
    const now = clock.now();
    const negotiationId = newId('neg', now.getTime());
    await hub.services.db
      .insert(negotiations)
      .values({ id: negotiationId, author: user, state: 'CONCLUDED', formId: 'test', formVersion: 1, answers: {} });
    const grantId = newId('grt', now.getTime());
    const days = o.days ?? 30;
    const exp = Math.floor(now.getTime() / 1000) + days * 86400;
    const access = o.access ?? 'REMOTE_PROCESSING';
    // An expired grant was issued long ago: a statement cannot expire before it was signed.
    const signedAt = days < 0 ? now.getTime() + (days - 10) * 86400_000 : now.getTime();
    const jws = await hub.services.grantSigner.sign(
      { sub: user, jti: grantId, exp, dataset, access, conditions: 'test', negotiation: negotiationId },
      signedAt,
    );
    await hub.services.db.insert(accessGrants).values({
      id: grantId,
      negotiationId,
      datasetId: dataset,
      userSub: user,
      access,
      conditions: 'test',
      expiresAt: new Date(exp * 1000),
      jws,
      revokedAt: o.revoked ? now : null,
    });
    return { dataset, grantId, jws };
  };

  /** The caller's own traces of one action, as the tracer serves them to a user. */
  const traces = async (user: string, action: string) => {
    const res = await fetch(`${hub.url}/tracer/api/v1/traces?userId=${user}&userAction=${action}&limit=1000`, {
      headers: { authorization: `Bearer ${await hub.token(user)}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { traces: { userId: string; datasetIds: string[]; payload: Record<string, unknown> }[] }).traces;
  };
  const keys = async () => (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };
  return { hub, clock, a, b, tool, grant, sendHealth, keys, traces, stop: () => hub.stop() };
}
export type Federation = Awaited<ReturnType<typeof processingFederation>>;
