import { type CountResult, type JobResult, verifyJob } from '../../shared/job-protocol.ts';
import type { TestHub } from './hub.ts';
import { nodeClient } from './node-client.ts';

export type SimNode = Awaited<ReturnType<typeof nodeClient>>;

/** Registers nodes with the hub as the admin would; they are offline until they call the hub. */
export async function registerNodes(hub: TestHub, ids: string[]): Promise<SimNode[]> {
  const admin = await hub.client('admin');
  const made: SimNode[] = [];
  for (const id of ids) {
    const n = await nodeClient(hub.url, id);
    const res = await admin.api.v1.nodes.$post({ json: { id, name: `Node ${id}`, publicJwk: n.publicJwk, admins: [] } });
    if (res.status !== 201) throw new Error(`registering ${id}: ${res.status} ${await res.text()}`);
    made.push(n);
  }
  return made;
}

export async function heartbeat(n: SimNode, extra: Record<string, unknown> = {}, nowMs?: number): Promise<void> {
  const res = await n.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [], ...extra }, { nowMs });
  if (res.status !== 200) throw new Error(`heartbeat of ${n.nodeId}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Leases this node's jobs and checks the hub's signature, as a bridge does. */
export async function leaseVerified(hubUrl: string, n: SimNode, opts: { wait?: number; nowMs?: number } = {}) {
  const res = await n.call('GET', `/api/v1/bridge/jobs?wait=${opts.wait ?? 0}&max=10`, undefined, { nowMs: opts.nowMs });
  if (res.status !== 200) throw new Error(`lease of ${n.nodeId}: ${res.status} ${JSON.stringify(res.body)}`);
  const leased = (res.body as { jobs: { receipt: string; jws: string }[] }).jobs;
  const { keys, issuer } = (await (await fetch(`${hubUrl}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };
  return Promise.all(
    leased.map(async (j) => ({
      receipt: j.receipt,
      job: await verifyJob(j.jws, { hubKeys: keys, issuer, nodeId: n.nodeId, seen: () => false, nowMs: opts.nowMs }),
    })),
  );
}

export async function postResult(n: SimNode, jobId: string, result: JobResult, nowMs?: number) {
  const res = await n.call('POST', `/api/v1/bridge/jobs/${jobId}/result`, result, { nowMs });
  if (res.status !== 200) throw new Error(`result of ${n.nodeId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { recorded: boolean };
}

/** One dataset per node, with an obfuscation note like the bridge's default. */
export const countsOf = (nodeId: string, subjects: number, studies: number, opts: { exact?: boolean } = {}): CountResult => ({
  collections: [{ id: `${nodeId}-ds`, name: `Dataset of ${nodeId}`, studies_count: studies, subjects_count: subjects }],
  total: { subjects_count: subjects, studies_count: studies },
  unsupported_keys: [],
  obfuscation: opts.exact
    ? { applied: false }
    : { applied: true, method: 'laplace', epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 },
});
