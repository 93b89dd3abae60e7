import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind } from '../support/database.ts';
import { DIGEST, type Federation, countTool, healthReport, processingFederation } from './processing-support.ts';

describe(`tool registry, node approvals and the network monitor (${databaseKind()})`, () => {
  let f: Federation;
  beforeAll(async () => {
    f = await processingFederation();
  });
  afterAll(async () => f?.stop());

  describe.each([
    ['an image named by tag, not digest', { image: { digest: 'registry.example/tool:latest' } }],
    ['an output glob leaving the output folder', { outputs: { allow: ['../x'], maxFileBytes: 10, maxTotalBytes: 10 } }],
    ['a parameter name that is no environment variable', { parameters: [{ name: 'Bad-Name', type: 'string' }] }],
    [
      'repeated parameter names',
      {
        parameters: [
          { name: 'a', type: 'boolean' },
          { name: 'a', type: 'string' },
        ],
      },
    ],
    ['a docs link that is not http(s)', { docsUrl: 'javascript:alert(1)' }],
    ['an unknown field', { evaluate: 'rm -rf /' }],
  ])('registration refuses %s', (_name, change) => {
    it('with 400 and stores nothing', async () => {
      const admin = await f.hub.client('admin');
      const tool = { ...countTool({ id: 'bad-tool' }), ...change };
      const res = await admin.api.v1.tools.$post({ json: tool as never });
      expect(res.status, await res.clone().text()).toBe(400);
      const list = await (await admin.api.v1.tools.$get()).json();
      expect(list.tools.map((t) => t.id)).not.toContain('bad-tool');
    });
  });

  it('lets only platform admins approve tools, once per version', async () => {
    const tool = countTool({ id: 'segmenter', version: '2.1' });
    for (const user of ['researcher', 'dataholder', 'representative']) {
      const res = await (await f.hub.client(user)).api.v1.tools.$post({ json: tool });
      expect(res.status, user).toBe(403);
    }
    const admin = await f.hub.client('admin');
    expect((await admin.api.v1.tools.$post({ json: tool })).status).toBe(201);
    expect((await admin.api.v1.tools.$post({ json: { ...tool, description: 'changed' } })).status).toBe(409);
    const list = await (await (await f.hub.client('researcher')).api.v1.tools.$get()).json();
    const seg = list.tools.find((t) => t.id === 'segmenter');
    expect(seg).toMatchObject({ version: '2.1', image: { digest: DIGEST }, docsUrl: 'https://docs.example.org/count-series', nodes: [] });
    expect(list.myNodes).toEqual([]);
    expect((await (await f.hub.client('outsider')).api.v1.tools.$get()).status).toBe(403);
  });

  it("lets only the node's administrators (or platform admins) allow a tool on it", async () => {
    const param = { nodeId: 'node-a', toolId: 'segmenter', version: '2.1' };
    for (const user of ['researcher', 'representative', 'outsider']) {
      const res = await (await f.hub.client(user)).api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param });
      expect(res.status, user).toBe(403);
    }
    const holder = await f.hub.client('dataholder');
    expect((await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param })).status).toBe(200);
    expect((await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param: { ...param, version: '9' } })).status).toBe(
      404,
    );
    expect((await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param: { ...param, nodeId: 'node-z' } })).status).toBe(
      404,
    );
    let list = await (await holder.api.v1.tools.$get()).json();
    expect(list.tools.find((t) => t.id === 'segmenter')?.nodes).toEqual(['node-a']);
    expect(list.myNodes).toEqual(['node-a', 'node-b']);

    expect((await (await f.hub.client('researcher')).api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$delete({ param })).status).toBe(
      403,
    );
    expect((await (await f.hub.client('admin')).api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$delete({ param })).status).toBe(200);
    list = await (await holder.api.v1.tools.$get()).json();
    expect(list.tools.find((t) => t.id === 'segmenter')?.nodes).toEqual([]);
  });

  it('stores the latest health report and shows it with the node in GET /api/v1/nodes', async () => {
    const first = healthReport([{ toolId: 'count-series', digest: DIGEST, ready: false }], f.clock.ms());
    expect((await f.a.call('POST', '/api/v1/bridge/health', first, { nowMs: f.clock.ms() })).status).toBe(204);
    const second = { ...healthReport([{ toolId: 'count-series', digest: DIGEST, ready: true }], f.clock.ms()), version: '1.5.0' };
    expect((await f.a.call('POST', '/api/v1/bridge/health', second, { nowMs: f.clock.ms() })).status).toBe(204);
    const nodes = (await (await (await f.hub.client('researcher')).api.v1.nodes.$get()).json()).nodes;
    const a = nodes.find((n) => n.id === 'node-a');
    expect(a?.online).toBe(true);
    expect(a?.version).toBe('1.5.0');
    expect(a?.health?.report).toEqual(second);
    expect(nodes.find((n) => n.id === 'node-b')?.health).toBeNull();

    // 90 s of silence: the node is offline, its last report still shown.
    f.clock.advance(91_000);
    const later = (await (await (await f.hub.client('researcher')).api.v1.nodes.$get()).json()).nodes.find((n) => n.id === 'node-a');
    expect(later?.online).toBe(false);
    expect(later?.health?.report.version).toBe('1.5.0');
  });

  it('refuses a health report that is unsigned, malformed or has unknown fields', async () => {
    const report = healthReport([], f.clock.ms());
    const anon = await fetch(`${f.hub.url}/api/v1/bridge/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
    expect(anon.status).toBe(401);
    expect((await f.a.call('POST', '/api/v1/bridge/health', { ...report, secret: 'x' }, { nowMs: f.clock.ms() })).status).toBe(400);
    expect((await f.a.call('POST', '/api/v1/bridge/health', { ...report, cpu: { count: -1 } }, { nowMs: f.clock.ms() })).status).toBe(400);
  });
});
