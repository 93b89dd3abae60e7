// The hub as a Lens explorer's Spot: a task posted as Lens posts it runs a federated search, and its
// results stream as Beam results that the explorer reads (`from` split on dots to name the site,
// `status`, the provider answer in base64), with every per-node status and the deadline mapped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind } from '../support/database.ts';
import { NO_CONFORMANCE, explorerQueries, explorerReadShape, hasConformance, readConformance } from '../support/conformance.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { countsOf, heartbeat, leaseVerified, postResult, registerNodes, type SimNode } from '../support/sim-node.ts';
import { type BeamResultMessage, lensQuery, providerOf, readEvents } from '../support/spot-client.ts';

const mr = {
  operand: 'OR',
  children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
};
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe(`the hub as Spot (${databaseKind()})`, () => {
  let hub: TestHub;
  let nodes: Record<'a' | 'b' | 'c' | 'd' | 'e', SimNode>;
  const spot = (path: string) => `${hub.url}/api/v1/spot${path}`;
  const as = async (username: string) => ({ authorization: `Bearer ${await hub.token(username)}` });
  const postTask = async (body: unknown, username = 'researcher') =>
    fetch(spot('/beam'), {
      method: 'POST',
      headers: { ...(await as(username)), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const listen = async (id: string, query = '', username = 'researcher') =>
    fetch(spot(`/beam/${id}${query}`), { headers: await as(username) });
  const firstJob = async (n: SimNode) => {
    const [leased] = await leaseVerified(hub.url, n);
    if (!leased) throw new Error(`no job for ${n.nodeId}`);
    return leased;
  };

  beforeAll(async () => {
    // The search's deadline when Lens (which sends none) posts: the hub's default.
    hub = await startTestHub({ env: { SEARCH_DEADLINE_SECONDS: '3' } });
    const [a, b, c, d, e] = await registerNodes(hub, ['node-a', 'node-b', 'node-c', 'node-d', 'node-e']);
    nodes = { a: a!, b: b!, c: c!, d: d!, e: e! };
  });
  afterAll(async () => hub?.stop());

  it('streams every node as Beam results: claimed, then succeeded, permfailed, tempfailed, and closes at the deadline', async () => {
    for (const n of [nodes.a, nodes.b, nodes.c, nodes.d]) await heartbeat(n); // node-e stays offline
    const id = crypto.randomUUID();
    const created = await postTask({ id, query: lensQuery(mr) });
    expect(created.status, await created.clone().text()).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/spot/beam/${id}`);
    expect(await created.text()).toBe('');

    const stream = await listen(id);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const results: BeamResultMessage[] = [];
    const reading = readEvents(stream, (e) => {
      if (e.event === 'new_result') results.push(JSON.parse(e.data));
    });
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(check()).toBe(true);
    };
    // Every asked node is claimed at once; the offline one is a temporary failure, not asked.
    await until(() => results.length >= 5);
    expect(results.map((r) => [r.from.split('.')[1], r.status])).toEqual([
      ['node-a', 'claimed'],
      ['node-b', 'claimed'],
      ['node-c', 'claimed'],
      ['node-d', 'claimed'],
      ['node-e', 'tempfailed'],
    ]);
    const broker = new URL(hub.url).hostname;
    expect(results[0]).toMatchObject({ from: `focus.node-a.${broker}`, to: [`spot.hub.${broker}`], task: id, body: 'null' });
    expect(results[4]?.body).toBe('the node was offline when the search started and was not asked');

    const ja = await firstJob(nodes.a);
    await postResult(nodes.a, ja.job.jobId, { status: 'answered', receipt: ja.receipt, result: countsOf('node-a', 20, 40) });
    await until(() => results.some((r) => r.status === 'succeeded'));
    const jb = await firstJob(nodes.b);
    await postResult(nodes.b, jb.job.jobId, { status: 'unsupported', receipt: jb.receipt, unsupported_keys: ['RID10311'] });
    const jc = await firstJob(nodes.c);
    await postResult(nodes.c, jc.job.jobId, {
      status: 'error',
      receipt: jc.receipt,
      error: { code: 'index_unavailable', message: 'index is rebuilding' },
    });
    await firstJob(nodes.d); // takes its job and goes silent

    const events = await reading; // closed by the hub once the deadline has passed
    expect(events.at(-1)?.at).toBeGreaterThanOrEqual(2000);
    expect(events.at(-1)?.at).toBeLessThan(7000);
    expect(events.map((e) => e.event).every((e) => e === 'new_result')).toBe(true);
    expect(results.slice(5).map((r) => [r.from.split('.')[1], r.status])).toEqual([
      ['node-a', 'succeeded'],
      ['node-b', 'permfailed'],
      ['node-c', 'tempfailed'],
      ['node-d', 'tempfailed'],
    ]);
    const [a, b, c, d] = results.slice(5) as BeamResultMessage[];
    const answer = providerOf(a!);
    expect(answer).toMatchObject({ provider: 'Node node-a', total: { subjects_count: 20, studies_count: 40 } });
    expect(answer.collections).toEqual([
      expect.objectContaining({
        id: 'node-a-ds',
        name: 'Dataset of node-a',
        subjects_count: 20,
        studies_count: 40,
        age_range: { min: 0, max: 130 },
      }),
    ]);
    expect(a!.metadata).toMatchObject({
      status: 'answered',
      node: { id: 'node-a', name: 'Node node-a' },
      obfuscation_note:
        'Obfuscated counts: Laplace noise (epsilon 0.28, sensitivity 1); rounded to steps of 10; counts 1-9 reported as 10, zeros kept.',
    });
    expect(b!.body).toContain('cannot evaluate RID10311');
    expect(b!.metadata).toMatchObject({ status: 'unsupported', unsupported_keys: ['RID10311'] });
    expect(c!.body).toBe('the node reported an error: index is rebuilding');
    expect(d!.body).toMatch(/^no answer by the search's deadline/);
    expect(d!.metadata.status).toBe('timed_out');
  });

  it.skipIf(!hasConformance)(
    `answers the explorer can render, field for field like the real providers ${hasConformance ? '' : NO_CONFORMANCE}`,
    async () => {
      await heartbeat(nodes.a);
      const id = crypto.randomUUID();
      expect((await postTask({ id, sites: ['node-a'], query: lensQuery(mr) })).status).toBe(201);
      const reading = readEvents(await listen(id, '?wait_count=1'));
      const job = await firstJob(nodes.a);
      const result = countsOf('node-a', 30, 30);
      result.collections[0] = { ...result.collections[0]!, age_range: null, gender: ['SNOMEDCT248152002'], modalities: ['RID10312'] };
      await postResult(nodes.a, job.job.jobId, { status: 'answered', receipt: job.receipt, result });
      const events = await reading;
      const succeeded = events.map((e) => JSON.parse(e.data) as BeamResultMessage).find((r) => r.status === 'succeeded');
      const answer = providerOf(succeeded!);
      expect(explorerReadShape(answer)).toEqual(explorerReadShape(readConformance('eucaim-explorer/mock_provider_2_CHAIMELEON.json')));
      expect(answer.collections).toEqual([expect.objectContaining({ gender: ['Female'], modalities: ['MR'], body_parts: [] })]);
    },
  );

  it('asks only the sites named, closes at wait_count results, and says wait_expired when it stops short', async () => {
    await heartbeat(nodes.a);
    await heartbeat(nodes.b);
    const id = crypto.randomUUID();
    expect((await postTask({ id, sites: ['node-b', 'not-a-node'], query: lensQuery(mr) })).status).toBe(201);
    const reading = readEvents(await listen(id, '?wait_count=2'));
    const jb = await firstJob(nodes.b);
    await postResult(nodes.b, jb.job.jobId, { status: 'answered', receipt: jb.receipt, result: countsOf('node-b', 10, 10) });
    const events = await reading;
    expect(events.map((e) => [e.event, e.event === 'new_result' ? (JSON.parse(e.data) as BeamResultMessage).status : e.data])).toEqual([
      ['new_result', 'claimed'],
      ['new_result', 'succeeded'],
      ['wait_expired', 'null'],
    ]);
    expect(events.at(-1)?.at).toBeLessThan(2000); // closed when the search completed, not at the deadline
    // node-a was not asked: it has no job waiting.
    expect(await leaseVerified(hub.url, nodes.a)).toEqual([]);
  });

  it('keeps a task to the user who posted it', async () => {
    const id = crypto.randomUUID();
    expect((await postTask({ id, query: lensQuery(mr) })).status).toBe(201);
    expect((await listen(id, '', 'representative')).status).toBe(404);
    expect((await listen(crypto.randomUUID())).status).toBe(404);
    expect((await fetch(spot(`/beam/${id}`))).status).toBe(401);
    // The same id again is a conflict for its owner, and another user's own namespace for anyone else.
    expect((await postTask({ id, query: lensQuery(mr) })).status).toBe(409);
    expect((await postTask({ id, query: lensQuery(mr) }, 'representative')).status).toBe(201);
  });

  const bad: [string, unknown, string][] = [
    ['a task id that is not a UUID', { id: 'task-1', query: lensQuery(mr) }, 'id'],
    ['a query that is not base64', { id: crypto.randomUUID(), query: 'not base64!' }, 'query'],
    ['base64 that is not JSON', { id: crypto.randomUUID(), query: base64('{"lang": ') }, 'query'],
    [
      'a query language other than ast',
      { id: crypto.randomUUID(), query: base64(JSON.stringify({ lang: 'cql', query: base64('library') })) },
      'query.lang',
    ],
    [
      'an inner query that is not base64',
      { id: crypto.randomUUID(), query: base64(JSON.stringify({ lang: 'ast', query: '%%%' })) },
      'query.query',
    ],
    [
      'an inner query that is not an AST',
      {
        id: crypto.randomUUID(),
        query: base64(JSON.stringify({ lang: 'ast', query: base64(JSON.stringify({ ast: { operand: 'MAYBE', children: [] } })) })),
      },
      'query.query.ast',
    ],
    ['no sites', { id: crypto.randomUUID(), sites: [], query: lensQuery(mr) }, 'sites'],
  ];
  it.each(bad)('refuses %s with a 400 naming where', async (_, body, path) => {
    const res = await postTask(body);
    const answer = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(res.status, JSON.stringify(answer)).toBe(400);
    expect(answer.error.code).toBe('bad_request');
    expect(
      answer.error.details.map((d) => d.path).some((p) => p.startsWith(path)),
      JSON.stringify(answer),
    ).toBe(true);
  });

  it('refuses sites none of which is a node, and an unknown task id', async () => {
    const res = await postTask({ id: crypto.randomUUID(), sites: ['berlin'], query: lensQuery(mr) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('berlin');
    expect((await listen('not-a-uuid')).status).toBe(400);
  });

  it.skipIf(!hasConformance)(`takes every query Lens and Focus send ${hasConformance ? '' : NO_CONFORMANCE}`, async () => {
    for (const q of explorerQueries()) {
      const res = await postTask({ id: crypto.randomUUID(), query: lensQuery(q.ast, q.body.id) });
      expect(res.status, `${q.name}: ${await res.clone().text()}`).toBe(201);
    }
  });
});
