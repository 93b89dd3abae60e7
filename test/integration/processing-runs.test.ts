import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunJobPayload, RunOutcome } from '../../shared/processing/run.ts';
import { verifyGrant } from '../../shared/negotiation/grant.ts';
import { verifyJob } from '../../shared/job-protocol.ts';
import { databaseKind } from '../support/database.ts';
import { nodeClient } from '../support/node-client.ts';
import { leaseVerified } from '../support/sim-node.ts';
import { DIGEST, type Federation, type Sim, processingFederation } from './processing-support.ts';

const outcome = (
  runId: string,
  nodeId: string,
  state: RunOutcome['state'],
  code?: NonNullable<RunOutcome['reason']>['code'],
): RunOutcome => ({
  runId,
  nodeId,
  state,
  ...(code ? { reason: { code, message: code } } : {}),
  exitCode: state === 'completed' ? 0 : 1,
  startedAt: Date.now() - 1000,
  finishedAt: Date.now(),
  inputFiles: 3,
  logs: { stdoutBytes: 10, stderrBytes: 0, keptBytes: 10, truncated: false },
  outputs: { accepted: [], rejected: [] },
});

describe(`federated runs through the hub (${databaseKind()})`, () => {
  let f: Federation;
  let c: Sim;
  beforeAll(async () => {
    f = await processingFederation();
    // A third node, registered and allowed the tool but never heard from: offline.
    c = await nodeClient(f.hub.url, 'node-c');
    const admin = await f.hub.client('admin');
    expect((await admin.api.v1.nodes.$post({ json: { id: 'node-c', name: 'Node C', publicJwk: c.publicJwk, admins: [] } })).status).toBe(
      201,
    );
    expect(
      (
        await admin.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({
          param: { nodeId: 'node-c', toolId: f.tool.id, version: f.tool.version },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => f?.stop());
  beforeEach(async () => {
    await f.sendHealth(f.a);
    await f.sendHealth(f.b);
  });

  const post = async (user: string, body: Record<string, unknown>) => {
    const res = await (await f.hub.client(user)).api.v1.runs.$post({ json: body as never });
    return { status: res.status, body: (await res.json()) as unknown as Record<string, unknown> & { id: string; error?: unknown } };
  };
  const tool = { id: 'count-series', version: '1.0' };
  const lease = async (n: Sim) => (await leaseVerified(f.hub.url, n, { nowMs: f.clock.ms() })).map((l) => l.job);
  const status = (n: Sim, runId: string, body: unknown) =>
    n.call('POST', `/api/v1/bridge/runs/${runId}/status`, body, { nowMs: f.clock.ms() });
  const view = async (runId: string, user = 'researcher') =>
    (await (await f.hub.client(user)).api.v1.runs[':id'].$get({ param: { id: runId } })).json();

  describe('refuses a run that cannot be allowed, and stores nothing', () => {
    it.each([
      ['an unknown parameter', { threshold: 3, evil: '$(id)' }],
      ['a parameter of the wrong type', { threshold: 'three' }],
      ['a number out of range', { threshold: 101 }],
      ['a missing required parameter', { label: 'x' }],
    ])('400 for %s', async (_n, parameters) => {
      const g = await f.grant('researcher');
      const res = await post('researcher', { tool, parameters, inputs: [`node-a:${g.dataset}`] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
    });

    it.each([
      ['no grant at all', async () => ({ dataset: crypto.randomUUID() })],
      ['an expired grant', () => f.grant('researcher', { days: -1 })],
      ['a revoked grant', () => f.grant('researcher', { revoked: true })],
      ["another user's grant", () => f.grant('representative')],
      ['a grant for download only', () => f.grant('researcher', { access: 'DOWNLOAD' })],
      ['a dataset id that is no UUID', async () => ({ dataset: 'not-a-uuid' })],
    ])('403 for %s', async (_n, make) => {
      const g = await make();
      const res = await post('researcher', { tool, parameters: { threshold: 3 }, inputs: [`node-a:${g.dataset}/P1`] });
      expect(res.status, JSON.stringify(res.body)).toBe(403);
    });

    it('409 for an offline node, a node that has not approved the tool, or a tool whose image is not ready', async () => {
      const g = await f.grant('researcher');
      const offline = await post('researcher', { tool, parameters: { threshold: 3 }, inputs: [`node-c:${g.dataset}`] });
      expect(offline.status).toBe(409);
      expect(offline.body.error).toMatchObject({ details: { nodes: [{ nodeId: 'node-c', reason: 'offline' }] } });

      const holder = await f.hub.client('dataholder');
      const param = { nodeId: 'node-b', toolId: tool.id, version: tool.version };
      await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$delete({ param });
      const unapproved = await post('researcher', { tool, parameters: { threshold: 3 }, inputs: [`node-b:${g.dataset}`] });
      expect(unapproved.status).toBe(409);
      expect(unapproved.body.error).toMatchObject({ details: { nodes: [{ nodeId: 'node-b', reason: 'tool_not_approved' }] } });
      await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param });

      await f.sendHealth(f.b, false);
      const notReady = await post('researcher', { tool, parameters: { threshold: 3 }, inputs: [`node-b:${g.dataset}`] });
      expect(notReady.status).toBe(409);
      expect(notReady.body.error).toMatchObject({ details: { nodes: [{ nodeId: 'node-b', reason: 'tool_not_ready' }] } });

      const mine = await (await (await f.hub.client('researcher')).api.v1.runs.$get()).json();
      expect(mine.runs).toEqual([]);
      expect(await lease(f.b)).toEqual([]);
    });

    it('400 when the chosen nodes are not the nodes of the inputs', async () => {
      const g = await f.grant('researcher');
      const res = await post('researcher', {
        tool,
        parameters: { threshold: 3 },
        inputs: [`node-a:${g.dataset}`],
        nodes: ['node-a', 'node-b'],
      });
      expect(res.status).toBe(400);
    });
  });

  it('sends each node one signed job with only its inputs and grants, and follows their reports', async () => {
    const ga = await f.grant('researcher');
    const gb = await f.grant('researcher', { access: 'IN_SITU_PROCESSING' });
    const created = await post('researcher', {
      tool,
      parameters: { threshold: 3, label: 'lung' },
      inputs: [`node-a:${ga.dataset}/P1`, `node-b:${gb.dataset}`],
      nodes: ['node-b', 'node-a'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const runId = created.body.id;
    expect(created.body).toMatchObject({
      state: 'pending',
      nodes: [
        { nodeId: 'node-a', state: 'dispatched' },
        { nodeId: 'node-b', state: 'dispatched' },
      ],
    });

    const grantKeys = (await (await fetch(`${f.hub.url}/api/v1/negotiation/keys`)).json()) as never;
    for (const [n, g, input] of [
      [f.a, ga, `node-a:${ga.dataset}/P1`],
      [f.b, gb, `node-b:${gb.dataset}`],
    ] as const) {
      const jobs = await lease(n);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.body.kind).toBe('processing.run');
      const payload = jobs[0]?.body.payload as RunJobPayload;
      expect(payload).toMatchObject({
        runId,
        user: 'researcher',
        tool: { ...tool, digest: DIGEST },
        parameters: { threshold: 3, label: 'lung' },
        inputs: [input],
      });
      expect(payload.grants).toEqual([g.jws]);
      // The node can check the statement offline, for this user and dataset.
      expect(
        (
          await verifyGrant(payload.grants[0] as string, grantKeys, {
            user: 'researcher',
            dataset: g.dataset,
            issuer: f.hub.url,
            nowMs: f.clock.ms(),
          })
        ).jti,
      ).toBe(g.grantId);
    }

    expect((await status(f.a, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(204);
    expect((await status(f.a, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'running', nodes: [{ state: 'running' }, { state: 'dispatched' }] });

    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'completed') })).status).toBe(204);
    expect((await status(f.b, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(204);
    expect((await view(runId)).state).toBe('running');
    expect((await status(f.b, runId, { state: 'ended', outcome: outcome(runId, 'node-b', 'failed', 'exit_nonzero') })).status).toBe(204);
    const done = await view(runId);
    expect(done).toMatchObject({
      state: 'partial',
      nodes: [
        { state: 'completed', reason: null },
        { state: 'failed', reason: { code: 'exit_nonzero' } },
      ],
    });

    // Same outcome again: harmless. Another outcome after the end: conflict. Foreign outcomes: refused.
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'completed') })).status).toBe(204);
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'failed', 'timeout') })).status).toBe(409);
    expect((await status(f.b, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'completed') })).status).toBe(400);
    expect((await status(c, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(404);
    expect((await view(runId)).nodes.map((n) => n.state)).toEqual(['completed', 'failed']);
    // Reporting acknowledged the jobs: past the lease's visibility they are not handed out again.
    f.clock.advance(31_000);
    expect(await lease(f.a)).toEqual([]);
    expect(await lease(f.b)).toEqual([]);

    const used = (await f.traces('researcher', 'USE_DATASETS')).filter((t) => t.payload.runId === runId);
    expect(used.map((t) => [t.payload.nodeId, t.datasetIds, t.payload.tool])).toEqual([
      ['node-a', [ga.dataset], { name: tool.id, version: tool.version }],
      ['node-b', [gb.dataset], { name: tool.id, version: tool.version }],
    ]);
    const materialised = (await f.traces('researcher', 'MATERIALISE_DATASET')).filter((t) => t.payload.runId === runId);
    expect(materialised.map((t) => [t.payload.nodeId, t.datasetIds])).toEqual([
      ['node-a', [ga.dataset]],
      ['node-b', [gb.dataset]],
    ]);
  });

  it("lists the caller's live processing grants as the workspace's datasets", async () => {
    const live = await f.grant('dataholder');
    await f.grant('dataholder', { revoked: true });
    await f.grant('dataholder', { days: -1 });
    await f.grant('dataholder', { access: 'DOWNLOAD' });
    await f.grant('representative');
    const { datasets } = await (await (await f.hub.client('dataholder')).api.v1.runs.datasets.$get()).json();
    expect(datasets.map((d) => d.datasetId)).toEqual([live.dataset]);
  });

  it('tells nodes which live grants were revoked, and tells no one else', async () => {
    const live = await f.grant('researcher');
    const revoked = await f.grant('researcher', { revoked: true });
    const expired = await f.grant('researcher', { revoked: true, days: -1 });
    const res = await f.a.call('GET', '/api/v1/bridge/revoked-grants', undefined, { nowMs: f.clock.ms() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = (res.body as { revoked: string[] }).revoked;
    expect(ids).toContain(revoked.grantId);
    expect(ids).not.toContain(live.grantId);
    // An expired grant fails on its own at the node: the list stays short.
    expect(ids).not.toContain(expired.grantId);
    expect((await fetch(`${f.hub.url}/api/v1/bridge/revoked-grants`)).status).toBe(401);
  });

  it('shows a run to its owner and admins only', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 1 }, inputs: [`node-a:${g.dataset}`] });
    const runId = created.body.id;
    await lease(f.a);
    expect((await (await f.hub.client('representative')).api.v1.runs[':id'].$get({ param: { id: runId } })).status).toBe(404);
    expect((await (await f.hub.client('admin')).api.v1.runs[':id'].$get({ param: { id: runId } })).status).toBe(200);
    const theirs = await (await (await f.hub.client('representative')).api.v1.runs.$get()).json();
    expect(theirs.runs.map((r) => r.id)).not.toContain(runId);
    const mine = await (await (await f.hub.client('researcher')).api.v1.runs.$get()).json();
    expect(mine.runs.map((r) => r.id)).toContain(runId);
    expect((await (await f.hub.client('representative')).api.v1.runs[':id'].cancel.$post({ param: { id: runId } })).status).toBe(404);
  });

  it('cancels: a signed processing.cancel job to every node not yet ended', async () => {
    const ga = await f.grant('researcher');
    const gb = await f.grant('researcher');
    const created = await post('researcher', {
      tool,
      parameters: { threshold: 2 },
      inputs: [`node-a:${ga.dataset}`, `node-b:${gb.dataset}`],
    });
    const runId = created.body.id;
    await lease(f.a);
    await lease(f.b);
    expect((await status(f.a, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(204);
    expect((await status(f.b, runId, { state: 'ended', outcome: outcome(runId, 'node-b', 'completed') })).status).toBe(204);

    const res = await (await f.hub.client('researcher')).api.v1.runs[':id'].cancel.$post({ param: { id: runId } });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.state).toBe('cancelling');
    expect(body.cancelJobs).toHaveLength(1);
    const jobs = await lease(f.a);
    expect(jobs.map((j) => j.body)).toEqual([{ kind: 'processing.cancel', payload: { runId } }]);
    expect(await lease(f.b)).toEqual([]);
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'cancelled', 'cancelled') })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'partial', nodes: [{ state: 'cancelled' }, { state: 'completed' }] });
  });

  it('takes a processing job out of the queue when its node says it took it, for that node only', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 2 }, inputs: [`node-a:${g.dataset}`] });
    await (await f.hub.client('researcher')).api.v1.runs[':id'].cancel.$post({ param: { id: created.body.id } });
    const res = await f.a.call('GET', '/api/v1/bridge/jobs?wait=0&max=10', undefined, { nowMs: f.clock.ms() });
    const leased = (res.body as { jobs: { receipt: string; jws: string }[] }).jobs;
    expect(leased).toHaveLength(2);
    const taken = (n: Sim, jobId: string, receipt: string) =>
      n.call('POST', `/api/v1/bridge/jobs/${jobId}/taken`, { receipt }, { nowMs: f.clock.ms() });
    const { keys, issuer } = await f.keys();
    for (const j of leased) {
      const job = await verifyJob(j.jws, { hubKeys: keys, issuer, nodeId: 'node-a', seen: () => false, nowMs: f.clock.ms() });
      // Another node cannot release node-a's lease, whatever receipt it holds.
      expect((await taken(f.b, job.jobId, j.receipt)).status).toBe(404);
      expect((await taken(f.a, job.jobId, j.receipt)).status).toBe(204);
    }
    // Past the visibility timeout these jobs do not come back (other tests' unclaimed jobs may): they left the queue.
    f.clock.advance(120_000);
    const back: { jws: string }[] = [];
    for (let round = 0; round < 20; round++) {
      const page = (
        (await f.a.call('GET', '/api/v1/bridge/jobs?wait=0&max=10', undefined, { nowMs: f.clock.ms() })).body as { jobs: { jws: string }[] }
      ).jobs;
      if (page.length === 0) break;
      back.push(...page);
    }
    const mine = new Set(leased.map((j) => j.jws));
    expect(back.filter((j) => mine.has(j.jws))).toEqual([]);
  });

  it('gives up on a node that never claims its job, and still takes its late word', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 2 }, inputs: [`node-a:${g.dataset}`] });
    const runId = created.body.id;
    f.clock.advance(16 * 60_000);
    expect(await view(runId)).toMatchObject({ state: 'failed', nodes: [{ state: 'timed_out' }] });
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'not_allowed', 'grant_invalid') })).status).toBe(
      204,
    );
    expect(await view(runId)).toMatchObject({ nodes: [{ state: 'not_allowed', reason: { code: 'grant_invalid' } }] });
  });

  it('keeps a part its node queued (no time-out while it waits), and follows it to running and its end', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 2 }, inputs: [`node-a:${g.dataset}`] });
    const runId = created.body.id;
    expect((await lease(f.a)).filter((j) => j.body.kind === 'processing.run' && j.body.payload.runId === runId)).toHaveLength(1);
    expect((await status(f.a, runId, { state: 'queued', queuedAt: f.clock.ms() })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'pending', nodes: [{ state: 'queued' }] });
    // Behind a long run on its node, far past the unclaimed-job limit (15 min): still waited for while
    // the node is heard from (a busy bridge keeps polling).
    for (let i = 0; i < 6; i++) {
      f.clock.advance(30 * 60_000);
      await lease(f.a);
    }
    expect(await view(runId)).toMatchObject({ state: 'pending', nodes: [{ state: 'queued' }] });
    // Its `running` report may still be in the node's outbox when it asks to upload.
    const upload = await f.a.call(
      'POST',
      `/api/v1/bridge/runs/${runId}/uploads`,
      { files: [{ kind: 'log', path: 'count-series_node-a.log', bytes: 3, sha256: 'a'.repeat(64) }] },
      { nowMs: f.clock.ms() },
    );
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    expect((await status(f.a, runId, { state: 'running', startedAt: f.clock.ms() })).status).toBe(204);
    // A late `queued` report never moves a part back.
    expect((await status(f.a, runId, { state: 'queued', queuedAt: f.clock.ms() })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'running', nodes: [{ state: 'running' }] });
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'completed') })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'completed', nodes: [{ state: 'completed' }] });
    expect((await f.traces('researcher', 'MATERIALISE_DATASET')).filter((t) => t.payload.runId === runId)).toHaveLength(1);
  });

  it('stops waiting for a queued part once its node has been silent for an hour', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 2 }, inputs: [`node-a:${g.dataset}`] });
    const runId = created.body.id;
    await lease(f.a);
    expect((await status(f.a, runId, { state: 'queued', queuedAt: f.clock.ms() })).status).toBe(204);
    f.clock.advance(59 * 60_000);
    expect(await view(runId)).toMatchObject({ state: 'pending', nodes: [{ state: 'queued' }] });
    f.clock.advance(2 * 60_000);
    expect(await view(runId)).toMatchObject({ state: 'failed', nodes: [{ state: 'timed_out' }] });
  });

  it('cancels a queued part through its node', async () => {
    const g = await f.grant('researcher');
    const created = await post('researcher', { tool, parameters: { threshold: 2 }, inputs: [`node-a:${g.dataset}`] });
    const runId = created.body.id;
    await lease(f.a);
    expect((await status(f.a, runId, { state: 'queued', queuedAt: f.clock.ms() })).status).toBe(204);
    const res = await (await f.hub.client('researcher')).api.v1.runs[':id'].cancel.$post({ param: { id: runId } });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect([body.state, body.cancelJobs]).toEqual(['cancelling', [expect.any(String)]]);
    const cancels = (await lease(f.a)).filter((j) => j.body.kind === 'processing.cancel' && j.body.payload.runId === runId);
    expect(cancels.map((j) => j.jobId)).toEqual(body.cancelJobs);
    expect((await status(f.a, runId, { state: 'ended', outcome: outcome(runId, 'node-a', 'cancelled', 'cancelled') })).status).toBe(204);
    expect(await view(runId)).toMatchObject({ state: 'cancelled', nodes: [{ state: 'cancelled' }] });
  });
});
