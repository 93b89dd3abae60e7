// The simulated bridges of `bench:search-fanout`, in a process of their own, so their signing,
// verifying and JSON work does not share the hub's event loop and inflate what the hub seems to cost.
import { verifyJob } from '../shared/job-protocol.ts';
import type { PrivateJwk, PublicJwk } from '../shared/node-auth.ts';
import { nodeClient } from '../test/support/node-client.ts';

export interface NodesInput {
  hubUrl: string;
  thinkMs: number;
  nodes: { nodeId: string; publicJwk: PublicJwk; privateJwk: PrivateJwk }[];
}
/** Times are absolute (timeOrigin + now), comparable across processes on one machine. */
export interface NodeTiming {
  searchId: string;
  nodeId: string;
  received: number;
  accepted: number;
}

const send = (m: unknown) => process.send?.(m);
const now = () => performance.timeOrigin + performance.now();
let stopping = false;
const input = await new Promise<NodesInput>((resolve) => {
  process.on('message', (m: NodesInput | 'stop') => {
    if (m === 'stop') stopping = true;
    else resolve(m);
  });
});

/** A bridge reduced to its loop: long-poll, verify, think, answer. */
async function simulate(n: Awaited<ReturnType<typeof nodeClient>>, keys: never[], issuer: string, input: NodesInput) {
  while (!stopping) {
    const leased = await n.call('GET', '/api/v1/bridge/jobs?wait=2&max=5');
    const received = now();
    for (const j of (leased.body as { jobs?: { receipt: string; jws: string }[] } | null)?.jobs ?? []) {
      const job = await verifyJob(j.jws, { hubKeys: keys, issuer, nodeId: n.nodeId, seen: () => false });
      await new Promise((r) => setTimeout(r, input.thinkMs));
      const subjects = 1 + (n.nodeId.length % 7);
      const result = {
        collections: [{ id: `${n.nodeId}-ds`, name: n.nodeId, subjects_count: subjects, studies_count: subjects }],
        total: { subjects_count: subjects, studies_count: subjects },
        unsupported_keys: [],
      };
      await n.call('POST', `/api/v1/bridge/jobs/${job.jobId}/result`, { status: 'answered', receipt: j.receipt, result });
      if (job.body.kind !== 'search.count') continue;
      const timing: NodeTiming = { searchId: job.body.payload.searchId, nodeId: n.nodeId, received, accepted: now() };
      send(timing);
    }
  }
}

const { keys, issuer } = (await (await fetch(`${input.hubUrl}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };
const clients = await Promise.all(
  input.nodes.map((n) => nodeClient(input.hubUrl, n.nodeId, { publicJwk: n.publicJwk, privateJwk: n.privateJwk })),
);
send('ready');
await Promise.all(clients.map((c) => simulate(c, keys, issuer, input)));
send('stopped');
process.disconnect();
