import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilityManifest } from '../../bridge/query/capabilities.ts';
import { searchAudit } from '../../functions/search/search.sql.ts';
import { queryHash } from '../../functions/search/canonical-query.ts';
import { readSse } from '../../web/src/sse.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { countsOf, heartbeat, leaseVerified, postResult, registerNodes, type SimNode } from '../support/sim-node.ts';

const MR = 'RID10312';
const FEMALE = 'SNOMEDCT248152002';
const ast = {
  operand: 'OR' as const,
  children: [
    {
      operand: 'AND' as const,
      children: [
        { operand: 'OR' as const, children: [{ key: 'RID10311', type: 'EQUALS' as const, value: MR }] },
        { operand: 'OR' as const, children: [{ key: 'SNOMEDCT263495000', type: 'EQUALS' as const, value: FEMALE }] },
      ],
    },
  ],
};

describe(`every node ends in a status (${databaseKind()})`, () => {
  let hub: TestHub;
  let nodes: Record<'a' | 'b' | 'c' | 'd' | 'e', SimNode>;

  beforeAll(async () => {
    hub = await startTestHub();
    const [a, b, c, d, e] = await registerNodes(hub, ['node-a', 'node-b', 'node-c', 'node-d', 'node-e']);
    nodes = { a: a!, b: b!, c: c!, d: d!, e: e! };
  });
  afterAll(async () => hub?.stop());

  const firstJob = async (n: SimNode) => {
    const [leased] = await leaseVerified(hub.url, n);
    if (!leased) throw new Error(`no job for ${n.nodeId}`);
    return leased;
  };

  it('stores the capability manifest of a heartbeat and lists it per node', async () => {
    const manifest = {
      catalogueVersion: 1,
      filters: [{ key: 'RID10311', values: ['RID10312', 'RID10321'] }, { key: 'SNOMEDCT423493009' }],
    };
    await heartbeat(nodes.a, { capabilities: manifest });
    await heartbeat(nodes.a); // a heartbeat without a manifest keeps the stored one
    const list = await (await (await hub.client('researcher')).api.v1.nodes.$get()).json();
    const a = list.nodes.find((n) => n.id === 'node-a');
    expect(a?.capabilities).toEqual(manifest);
    expect(a?.capabilitiesAt).toMatch(/^\d{4}-/);
    expect(list.nodes.find((n) => n.id === 'node-b')?.capabilities).toBeNull();
    // The next test asks node-a a gender question this partial manifest would rule out up front.
    await heartbeat(nodes.a, { capabilities: capabilityManifest() });
  });

  it('ends answered, unsupported, error, timed_out and skipped, streams each answer as it lands, and closes', async () => {
    for (const n of [nodes.a, nodes.b, nodes.c, nodes.d]) await heartbeat(n); // node-e never calls: offline
    const researcher = await hub.client('researcher');
    const created = await researcher.api.v1.search.$post({ json: { ast, deadlineSeconds: 3 } });
    const search = await created.json();
    expect(created.status, JSON.stringify(search)).toBe(202);
    expect(search.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'pending'],
      ['node-b', 'pending'],
      ['node-c', 'pending'],
      ['node-d', 'pending'],
      ['node-e', 'skipped'],
    ]);

    const started = Date.now();
    const events: { at: number; view: typeof search }[] = [];
    const stream = await researcher.api.v1.search[':id'].events.$get({ param: { id: search.id } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reading = readSse(stream.body as ReadableStream<Uint8Array>, (e) => {
      if (e.event === 'view') events.push({ at: Date.now() - started, view: JSON.parse(e.data) });
    });
    const statusOf = (id: string) => events.at(-1)?.view.nodes.find((n) => n.nodeId === id)?.status;
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(check()).toBe(true);
    };

    const ja = await firstJob(nodes.a);
    expect(
      await postResult(nodes.a, ja.job.jobId, { status: 'answered', receipt: ja.receipt, result: countsOf('node-a', 12, 30) }),
    ).toEqual({ recorded: true });
    // The stream delivers node-a's answer before anyone else has answered.
    await until(() => statusOf('node-a') === 'answered');
    expect(statusOf('node-b')).toBe('pending');

    const jb = await firstJob(nodes.b);
    await postResult(nodes.b, jb.job.jobId, { status: 'unsupported', receipt: jb.receipt, unsupported_keys: ['SNOMEDCT263495000'] });
    await until(() => statusOf('node-b') === 'unsupported');
    const jc = await firstJob(nodes.c);
    await postResult(nodes.c, jc.job.jobId, {
      status: 'error',
      receipt: jc.receipt,
      error: { code: 'index_unavailable', message: 'index is rebuilding' },
    });
    await until(() => statusOf('node-c') === 'error');
    await firstJob(nodes.d); // node-d takes its job and goes silent

    await reading; // the hub closes the stream once the deadline completes the search
    const last = events.at(-1)?.view;
    expect(last?.status).toBe('completed');
    expect(events.at(-1)?.at).toBeGreaterThanOrEqual(2500);
    expect(events.at(-1)?.at).toBeLessThan(6000);
    expect(last?.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'answered'],
      ['node-b', 'unsupported'],
      ['node-c', 'error'],
      ['node-d', 'timed_out'],
      ['node-e', 'skipped'],
    ]);
    expect(last?.nodes[1]?.unsupportedKeys).toEqual(['SNOMEDCT263495000']);
    expect(last?.nodes[2]?.error).toEqual({ code: 'index_unavailable', message: 'index is rebuilding' });
    expect(last?.total).toEqual({ subjects_count: 12, studies_count: 30 });
    // One event per change: the first view, three answers, the deadline.
    expect(events.map((e) => e.view.nodes.filter((n) => n.status !== 'pending').length)).toEqual([1, 2, 3, 4, 5]);

    // The search audit: who, when and the hash of the canonical query, never the tree itself.
    const [audit] = await hub.services.db.select().from(searchAudit).where(eq(searchAudit.searchId, search.id));
    const me = await (await researcher.api.v1.me.$get()).json();
    expect(audit?.subject).toBe(me.sub);
    expect(audit?.queryHash).toBe(await queryHash(ast));
    expect(audit?.queryHash).toMatch(/^[0-9a-f]{64}$/);
    expect([audit?.nodesAsked, audit?.nodesSkipped, audit?.deadlineSeconds]).toEqual([4, 1, 3]);
    expect(Math.abs((audit?.createdAt.getTime() ?? 0) - Date.parse(search.createdAt))).toBeLessThan(1000);

    // The report: tree, words, per-node status, obfuscation notes, datasets, hub version and time.
    const res = await researcher.api.v1.search[':id'].report.$get({ param: { id: search.id } });
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="eucaim-search-${search.id}.json"`);
    const report = await res.json();
    expect(res.status).toBe(200);
    expect(report.query.tree).toEqual(ast);
    expect(report.query.words).toBe('Modality is MR AND Gender is Female');
    expect(report.hub.version).toBe('0.1.0');
    expect(Date.parse(report.generatedAt)).toBeGreaterThanOrEqual(Date.parse(search.createdAt));
    expect(report.nodes.map((n) => [n.nodeId, n.status])).toEqual(last?.nodes.map((n) => [n.nodeId, n.status]));
    const a = report.nodes[0];
    expect(a?.datasets).toEqual([{ id: 'node-a-ds', name: 'Dataset of node-a', subjects_count: 12, studies_count: 30 }]);
    expect(a?.obfuscationNote).toBe(
      'Obfuscated counts: Laplace noise (epsilon 0.28, sensitivity 1); rounded to steps of 10; counts 1-9 reported as 10, zeros kept.',
    );
    expect(report.nodes[1]?.unsupportedKeys).toEqual(['SNOMEDCT263495000']);
    expect(report.total).toEqual({ subjects_count: 12, studies_count: 30 });
  });

  it('keeps the stream and the report to the owner of the search', async () => {
    const researcher = await hub.client('researcher');
    const search = await (await researcher.api.v1.search.$post({ json: { ast, deadlineSeconds: 1 } })).json();
    const other = await hub.client('representative');
    expect((await other.api.v1.search[':id'].events.$get({ param: { id: search.id } })).status).toBe(404);
    expect((await other.api.v1.search[':id'].report.$get({ param: { id: search.id } })).status).toBe(404);
    expect((await (await hub.client()).api.v1.search[':id'].events.$get({ param: { id: search.id } })).status).toBe(401);
  });
});
