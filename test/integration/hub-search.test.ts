import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../functions/jobs/jobs.sql.ts';
import { searchNodes } from '../../functions/search/search.sql.ts';
import { type CountResult, verifyJob } from '../../shared/job-protocol.ts';
import { offsetClock } from '../support/clock.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

const counts = (nodeId: string, subjects: number, studies: number): CountResult => ({
  collections: [{ id: `${nodeId}-ds`, name: nodeId, studies_count: studies, subjects_count: subjects }],
  total: { subjects_count: subjects, studies_count: studies },
  unsupported_keys: [],
});

const modalityQuery = (code: string) => ({
  ast: {
    operand: 'OR' as const,
    children: [
      {
        operand: 'AND' as const,
        children: [{ operand: 'OR' as const, children: [{ key: 'RID10311', type: 'EQUALS' as const, value: code }] }],
      },
    ],
  },
});

describe(`federated count slice through the hub (${databaseKind()})`, () => {
  let hub: TestHub;
  const clock = offsetClock();
  let a: Awaited<ReturnType<typeof nodeClient>>;
  let b: Awaited<ReturnType<typeof nodeClient>>;

  beforeAll(async () => {
    hub = await startTestHub({ clock, env: { SEARCH_DEADLINE_SECONDS: '10' } });
    const admin = await hub.client('admin');
    a = await nodeClient(hub.url, 'node-a');
    b = await nodeClient(hub.url, 'node-b');
    for (const n of [a, b]) {
      const res = await admin.api.v1.nodes.$post({ json: { id: n.nodeId, name: n.nodeId, publicJwk: n.publicJwk, admins: [] } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => hub?.stop());

  const heartbeat = async () => {
    for (const n of [a, b]) {
      const hb = await n.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [] }, { nowMs: clock.ms() });
      expect(hb.status, JSON.stringify(hb.body)).toBe(200);
    }
  };
  const lease = async (n: typeof a) => {
    const res = await n.call('GET', '/api/v1/bridge/jobs?wait=0&max=5', undefined, { nowMs: clock.ms() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { jobs: { receipt: string; jws: string }[] }).jobs;
  };
  const keys = async () => (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };

  it('sends one signed job per online node and totals their answers', async () => {
    await heartbeat();
    const health = await (await (await hub.client()).api.v1.health.$get()).json();
    expect(health.nodes.filter((n) => n.online).map((n) => n.id)).toEqual(['node-a', 'node-b']);

    const researcher = await hub.client('researcher');
    const created = await researcher.api.v1.search.$post({ json: modalityQuery('RID10312') });
    const search = await created.json();
    expect(created.status, JSON.stringify(search)).toBe(202);
    expect(search.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'pending'],
      ['node-b', 'pending'],
    ]);

    const { keys: hubKeys, issuer } = await keys();
    for (const [n, subjects, studies] of [
      [a, 3, 5],
      [b, 4, 9],
    ] as const) {
      const jobs = await lease(n);
      expect(jobs).toHaveLength(1);
      const job = await verifyJob(jobs[0]!.jws, { hubKeys, issuer, nodeId: n.nodeId, seen: () => false, nowMs: clock.ms() });
      expect(job.body).toMatchObject({ kind: 'search.count', payload: { searchId: search.id } });
      const posted = await n.call(
        'POST',
        `/api/v1/bridge/jobs/${job.jobId}/result`,
        { status: 'answered', receipt: jobs[0]!.receipt, result: counts(n.nodeId, subjects, studies) },
        { nowMs: clock.ms() },
      );
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      expect(posted.body).toEqual({ recorded: true });
    }
    const done = await (await researcher.api.v1.search[':id'].$get({ param: { id: search.id } })).json();
    expect(done.status).toBe('completed');
    expect(done.total).toEqual({ subjects_count: 7, studies_count: 14 });
    expect(done.nodes.map((n) => n.status)).toEqual(['answered', 'answered']);
    // Acknowledged jobs are gone from the queue.
    expect(await lease(a)).toEqual([]);
  });

  it('refuses a forged or replayed node call with 401 and writes nothing', async () => {
    await heartbeat();
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10321') })).json();
    const jobs = await lease(a);
    const jobId =
      search.nodes.find((n) => n.nodeId === 'node-a') &&
      (
        await verifyJob(jobs[0]!.jws, {
          ...(await keys()),
          hubKeys: (await keys()).keys,
          nodeId: 'node-a',
          seen: () => false,
          nowMs: clock.ms(),
        })
      ).jobId;
    const path = `/api/v1/bridge/jobs/${jobId}/result`;
    const body = { status: 'answered', result: counts('node-a', 999, 999) };

    const impostor = await nodeClient(hub.url, 'node-a'); // right id, wrong key
    const forged = await impostor.call('POST', path, body, { nowMs: clock.ms() });
    expect(forged.status).toBe(401);

    const real = await a.call('POST', path, { status: 'answered', result: counts('node-a', 2, 2) }, { nowMs: clock.ms() });
    expect(real.status).toBe(200);
    const replay = await a.call(
      'POST',
      path,
      { status: 'answered', result: counts('node-a', 2, 2) },
      { token: real.token, nowMs: clock.ms() },
    );
    expect(replay.status, JSON.stringify(replay.body)).toBe(401);
    // A token bound to one body cannot carry another.
    const swapped = await a.call('POST', path, body, {
      token: (await a.call('GET', '/api/v1/bridge/jobs?wait=0', undefined, { nowMs: clock.ms() })).token,
    });
    expect(swapped.status).toBe(401);

    const view = await (await researcher.api.v1.search[':id'].$get({ param: { id: search.id } })).json();
    expect(view.nodes.find((n) => n.nodeId === 'node-a')?.result?.total.subjects_count).toBe(2);
  });

  it("does not let a node answer another node's job", async () => {
    await heartbeat();
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10337') })).json();
    const jobsOfB = await lease(b);
    const { jobId } = await verifyJob(jobsOfB[0]!.jws, {
      hubKeys: (await keys()).keys,
      issuer: (await keys()).issuer,
      nodeId: 'node-b',
      seen: () => false,
      nowMs: clock.ms(),
    });
    const res = await a.call(
      'POST',
      `/api/v1/bridge/jobs/${jobId}/result`,
      { status: 'answered', result: counts('node-a', 1, 1) },
      { nowMs: clock.ms() },
    );
    expect(res.status).toBe(404);
    const view = await (await researcher.api.v1.search[':id'].$get({ param: { id: search.id } })).json();
    expect(view.nodes.find((n) => n.nodeId === 'node-b')?.status).toBe('pending');
  });

  it('closes a search at its deadline and does not count a late answer', async () => {
    await heartbeat();
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10334') })).json();
    const jobsOfA = await lease(a);
    clock.advance(11_000);
    const view = await (await researcher.api.v1.search[':id'].$get({ param: { id: search.id } })).json();
    expect(view.status).toBe('completed');
    expect(view.nodes.map((n) => n.status)).toEqual(['timed_out', 'timed_out']);
    const { jobId } = await verifyJob(jobsOfA[0]!.jws, {
      hubKeys: (await keys()).keys,
      issuer: (await keys()).issuer,
      nodeId: 'node-a',
      seen: () => false,
      nowMs: clock.ms() - 11_000,
    });
    const late = await a.call(
      'POST',
      `/api/v1/bridge/jobs/${jobId}/result`,
      { status: 'answered', result: counts('node-a', 5, 5) },
      { nowMs: clock.ms() },
    );
    expect(late.body).toEqual({ recorded: false });
    clock.advance(-11_000);
  });

  it('hides a search from everyone but its owner', async () => {
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10312') })).json();
    const other = await (await hub.client('representative')).api.v1.search[':id'].$get({ param: { id: search.id } });
    expect(other.status).toBe(404);
  });

  it('names the path of a fault in a malformed query tree', async () => {
    const researcher = await hub.client('researcher');
    const res = await researcher.api.v1.search.$post({
      json: {
        ast: { operand: 'OR', children: [{ operand: 'AND', children: [{ key: 'RID10311', type: 'EQUALZ', value: 'x' }] }] },
      } as never,
    });
    const body = (await res.json()) as unknown as { error: { details: { path: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.details[0]?.path).toBe('ast.children[0].children[0].type');
  });
});

describe(`a search across a hub restart (${databaseKind()})`, () => {
  let hub: TestHub;
  const clock = offsetClock();
  let a: Awaited<ReturnType<typeof nodeClient>>;

  beforeAll(async () => {
    hub = await startTestHub({ clock, env: { SEARCH_DEADLINE_SECONDS: '60' } });
    a = await nodeClient(hub.url, 'node-a');
    const admin = await hub.client('admin');
    expect((await admin.api.v1.nodes.$post({ json: { id: 'node-a', name: 'A', publicJwk: a.publicJwk, admins: [] } })).status).toBe(201);
  });
  afterAll(async () => hub?.stop());

  const online = async () => {
    const hb = await a.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [] }, { nowMs: clock.ms() });
    expect(hb.status).toBe(200);
  };
  const leaseAll = async () => {
    const res = await a.call('GET', '/api/v1/bridge/jobs?wait=0&max=10', undefined, { nowMs: clock.ms() });
    return (res.body as { jobs: { receipt: string; jws: string }[] }).jobs;
  };
  const jobKeys = async () => (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };

  it('survives a restart while pending and completes when the node answers afterwards', async () => {
    await online();
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10312') })).json();
    await hub.restart();
    const jobs = await leaseAll();
    expect(jobs).toHaveLength(1);
    const { keys, issuer } = await jobKeys();
    const job = await verifyJob(jobs[0]!.jws, { hubKeys: keys, issuer, nodeId: 'node-a', seen: () => false, nowMs: clock.ms() });
    const posted = await a.call(
      'POST',
      `/api/v1/bridge/jobs/${job.jobId}/result`,
      { status: 'answered', receipt: jobs[0]!.receipt, result: counts('node-a', 6, 8) },
      { nowMs: clock.ms() },
    );
    expect(posted.body).toEqual({ recorded: true });
    const view = await (await researcher.api.v1.search[':id'].$get({ param: { id: search.id } })).json();
    expect(view.status).toBe('completed');
    expect(view.total).toEqual({ subjects_count: 6, studies_count: 8 });
  });

  it('survives a restart while pending and is closed by the deadline task when no node answers', async () => {
    await online();
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: modalityQuery('RID10321') })).json();
    await hub.restart();
    clock.advance(62_000);
    // The restarted hub's task drain (every 2 s) persists the timeout; reads never depend on it.
    let status = '';
    for (let i = 0; i < 30 && status !== 'timed_out'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const [row] = await hub.services.db.select().from(searchNodes).where(eq(searchNodes.searchId, search.id));
      status = row?.status ?? '';
    }
    expect(status).toBe('timed_out');
    clock.advance(-62_000);
    // Clear the undelivered job so later tests see an empty queue.
    for (const j of await leaseAll()) await hub.services.jobQueue.ack('node-a', j.receipt);
  });

  it('drops a job the node refused and reported from the queue, and marks it refused', async () => {
    await online();
    const researcher = await hub.client('researcher');
    await researcher.api.v1.search.$post({ json: modalityQuery('RID10337') });
    const [leased] = await leaseAll();
    expect(leased).toBeDefined();
    const { keys, issuer } = await jobKeys();
    const { jobId } = await verifyJob(leased!.jws, { hubKeys: keys, issuer, nodeId: 'node-a', seen: () => false, nowMs: clock.ms() });
    const report = await a.call(
      'POST',
      '/api/v1/bridge/reports',
      { jobId, receipt: leased!.receipt, reason: 'replayed', message: 'seen before' },
      { nowMs: clock.ms() },
    );
    expect(report.status).toBe(202);
    clock.advance(31_000); // past the lease's visibility timeout, well before the job expires
    expect(await leaseAll()).toEqual([]);
    clock.advance(-31_000);
    const [row] = await hub.services.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(row?.status).toBe('refused');
  });
});
