import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../bridge/commands.ts';
import { loadBridgeConfig } from '../../bridge/config.ts';
import { startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, bridgeEnv, makeNodeFixture, memoryLogger } from '../../bridge/test-support/node-fixture.ts';
import { filterByKey } from '../../shared/filter-catalogue.ts';
import type { QueryNode } from '../../shared/query.ts';
import { NO_CONFORMANCE, explorerQueries, hasConformance, readConformance } from '../support/conformance.ts';
import { databaseKind } from '../support/database.ts';
import { focusAsk, focusBody } from '../support/focus-client.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { type MediatorStandIn, standInDatasets, startMediatorStandIn } from '../support/mediator-stand-in.ts';
import { freePort } from '../support/ports.ts';

/**
 * Every query the real explorer (Samply Lens) and agent (Samply Focus) ship as test cases, through
 * every door of the platform: the hub's search route, the bridge's `query` command, the bridge's
 * jobs, and the bridge's mediator endpoint as a Focus calls it; and the captured answer of the real
 * CHAIMELEON mediator through the bridge's mediator client. Source: ../shared/conformance.
 */
const QUERIES = hasConformance ? explorerQueries() : [];
const cases = QUERIES.map((q) => [q.name, q] as const);
const SECRET = 'focus-secret-0123456789';

describe.skipIf(!hasConformance)(`the explorer's and Focus's queries, everywhere ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
  describe(`hub: POST /api/v1/search (${databaseKind()})`, () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub();
    });
    afterAll(async () => hub?.stop());

    it.each(cases)('%s is accepted, unknown terms said in words', async (_name, q) => {
      const res = await (await hub.client('researcher')).api.v1.search.$post({ json: q.body as never });
      const view = (await res.json()) as { notices?: string[] };
      expect(res.status, JSON.stringify(view)).toBe(202);
      // The EUCAIM agent's queries use only the catalogue; Lens's demo keys and Focus's other projects' do not.
      if (q.name.startsWith('focus/eucaim_') || q.name.startsWith('focus/README')) expect(view.notices).toEqual([]);
      else if (JSON.stringify(q.ast).includes('"key"')) expect(view.notices?.length).toBeGreaterThan(0);
    });
  });

  describe('bridge: its own index through the query command, jobs and the mediator endpoint', () => {
    let node: NodeFixture;
    let hub: HubStub;
    let bridge: Awaited<ReturnType<typeof startBridge>>;
    let endpoint = '';

    beforeAll(async () => {
      node = await makeNodeFixture();
      hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
      const listen = `127.0.0.1:${await freePort()}`;
      endpoint = `http://${listen}/api/datasets/eucaimSearch`;
      const config = loadBridgeConfig({ ...bridgeEnv(node, hub), MEDIATOR_ENDPOINT_LISTEN: listen, MEDIATOR_ENDPOINT_SECRET: SECRET });
      bridge = await startBridge(config, {
        logger: memoryLogger(),
        minPollIntervalMs: 20,
        longPollSeconds: 1,
        heartbeatIntervalMs: 60_000,
      });
    });
    afterAll(async () => {
      await bridge?.stop();
      await hub?.close();
      await node?.remove();
    });

    it.each(cases)('%s: `query --ast` answers, or names what it cannot evaluate', async (name, q) => {
      const file = join(node.root, `${name.replace('/', '-')}`);
      await writeFile(file, JSON.stringify(q.body.id ? q.body : q.ast));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['query', '--db', join(node.stateDir, 'index.sqlite'), '--ast', file], {
        env: {},
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      expect([0, 1], err.join('\n')).toContain(code);
      const answer = JSON.parse(out.join('\n'));
      if (code === 0) expect(answer.collections.length).toBe(node.plan.datasets.length);
      else expect(answer.unsupported_keys.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s: a job carrying it is answered or unsupported, never refused', async (_name, q) => {
      const jobId = `job-${crypto.randomUUID()}`;
      const body = { kind: 'search.count' as const, payload: { searchId: `srch-${jobId}`, query: q.ast as QueryNode } };
      hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId, body }));
      await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId) || hub.reports.some((r) => r.body.jobId === jobId));
      expect(hub.reports.filter((r) => r.body.jobId === jobId)).toEqual([]);
      const result = hub.results.find((r) => r.jobId === jobId)?.body;
      expect(['answered', 'unsupported'], JSON.stringify(result)).toContain(result?.status);
    });

    it.each(cases.filter(([name]) => name.startsWith('focus/')))(
      '%s: a Focus gets a mediator answer from the endpoint',
      async (_name, q) => {
        const out = await focusAsk(endpoint, `Secret ${SECRET}`, q.body);
        if (!out.ok && 'failedBeforeCall' in out) {
          // Focus itself cannot read it, so it never calls (the endpoint's answer to the raw tree: mediator-endpoint.test.ts).
          expect(focusBody(q.body)).toBeUndefined();
          return;
        }
        expect(out.ok, JSON.stringify(out)).toBe(true);
        expect(Array.isArray((out as unknown as { body: { collections: unknown } }).body.collections)).toBe(true);
      },
    );

    it('refuses a Focus with the wrong secret', async () => {
      const out = await focusAsk(endpoint, 'Secret wrong', { ast: { operand: 'OR', children: [] }, id: 'x' });
      expect(out).toMatchObject({ ok: false, status: 401 });
    });
  });

  describe('bridge in front of the real mediator: its captured answer through the client', () => {
    let node: NodeFixture;
    let hub: HubStub;
    let mediator: MediatorStandIn;
    let bridge: Awaited<ReturnType<typeof startBridge>>;

    beforeAll(async () => {
      node = await makeNodeFixture('x');
      hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
      const labels = Object.fromEntries((filterByKey('SNOMEDCT439401001')?.values ?? []).map((v) => [v.code, v.label]));
      const datasets = standInDatasets(node.plan, labels);
      const second = datasets[1]!;
      mediator = await startMediatorStandIn({
        token: 'site-token',
        datasets: [
          ...datasets,
          {
            ...second,
            id: 'no-age-ds',
            name: 'Dataset without age information',
            description: 'copy of collection 2 without age range',
            ageLowInDays: null,
            ageHighInDays: null,
          },
        ],
      });
      const config = loadBridgeConfig({
        ...bridgeEnv(node, hub),
        MEDIATOR_URL: mediator.url,
        MEDIATOR_SECRET: 'site-token',
        OBFUSCATION: 'off',
      });
      bridge = await startBridge(config, {
        logger: memoryLogger(),
        minPollIntervalMs: 20,
        longPollSeconds: 1,
        heartbeatIntervalMs: 60_000,
      });
    });
    afterAll(async () => {
      await bridge?.stop();
      await hub?.close();
      await mediator?.close();
      await node?.remove();
    });

    it('answers the empty query with the collections of the captured real answer', async () => {
      const real = readConformance<{ collections: { id: string; name: string; studies_count: number; subjects_count: number }[] }>(
        'mediator/real_answer_empty_query_with_ageless_dataset.json',
      );
      const jobId = `job-${crypto.randomUUID()}`;
      hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
      await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
      const result = hub.results.find((r) => r.jobId === jobId)?.body as {
        status: string;
        result: { collections: { id: string; name: string; studies_count: number; subjects_count: number; age_range?: unknown }[] };
      };
      expect(result.status).toBe('answered');
      expect(result.result.collections.map((c) => [c.id, c.name, c.studies_count, c.subjects_count])).toEqual(
        real.collections.map((c) => [c.id, c.name, c.studies_count, c.subjects_count]),
      );
      // `age_range: 0` read as "no ages".
      expect(result.result.collections[2]?.age_range).toBeNull();
    });
  });
});
