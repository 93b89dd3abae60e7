import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueDatasets } from '../../functions/catalogue/catalogue.sql.ts';
import { fullMetadata } from '../../functions/fdp/fixtures.ts';
import { runMaintenance } from '../../functions/maintenance.ts';
import { type FdpSource, type SourceMode, startFdpSource } from '../support/fdp-source-server.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { freePort } from '../support/ports.ts';
import { type Call, caller, shortId } from './catalogue-support.ts';

let hub: TestHub;
let source: FdpSource;
let canary: Server;
let canaryHits = 0;
let offset = 0;
let asAdmin: Call;
const sourceId = `node-fdp-${shortId()}`;
const series = {
  id: `harvested-${shortId()}`,
  title: 'Harvested biobank',
  description: 'Series described by the node FDP',
  publisher: { name: 'Node hospital' },
  networkId: `net-${shortId()}`,
};
const network = { id: series.networkId, title: 'Node network', description: 'A network' };

const addDataset = (title: string, modified = '2026-01-01T00:00:00.000Z') => {
  const id = crypto.randomUUID();
  source.datasets.set(id, { id, metadata: fullMetadata({ title, seriesId: series.id }), modified });
  return id;
};

/** The catalogue's rows of this source as they stand: a failed run must leave this unchanged. */
const snapshot = () =>
  hub.services.db
    .select({
      id: catalogueDatasets.id,
      state: catalogueDatasets.state,
      version: catalogueDatasets.version,
      title: catalogueDatasets.title,
    })
    .from(catalogueDatasets)
    .where(eq(catalogueDatasets.sourceId, sourceId))
    .orderBy(asc(catalogueDatasets.id));

const run = async (id = sourceId) => {
  const res = await asAdmin('POST', `/api/v1/catalogue/harvest-sources/${id}/run`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  canary = createServer((_req, res) => {
    canaryHits++;
    res.writeHead(200, { 'content-type': 'text/turtle' }).end('');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  const elsewhere = `http://127.0.0.1:${(canary.address() as AddressInfo).port}/fdp/dataset/stolen`;
  source = await startFdpSource({ series, network, elsewhere });
  hub = await startTestHub({
    clock: { now: () => new Date(Date.now() + offset) },
    env: {
      HARVEST_REQUEST_TIMEOUT_MS: '400',
      HARVEST_MAX_RESPONSE_BYTES: String(256 * 1024),
      HARVEST_MAX_RUN_BYTES: String(700 * 1024),
      HARVEST_MAX_DOCUMENTS: '40',
    },
  });
  asAdmin = caller(hub, 'admin');
  const created = await asAdmin('POST', '/api/v1/catalogue/harvest-sources', { id: sourceId, url: source.url, trusted: true });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toMatchObject({ trusted: true, nodeId: null });
});
afterAll(async () => {
  await hub?.stop();
  await source?.close();
  canary?.closeAllConnections();
  await new Promise((r) => canary?.close(r));
});

describe('harvest sources API', () => {
  it('is for admins only, while the FAIR Data Point stays public', async () => {
    expect((await caller(hub)('GET', '/api/v1/catalogue/harvest-sources')).status).toBe(401);
    expect((await caller(hub, 'researcher')('GET', '/api/v1/catalogue/harvest-sources')).status).toBe(403);
    expect((await caller(hub, 'researcher')('POST', `/api/v1/catalogue/harvest-sources/${sourceId}/run`)).status).toBe(403);
    expect((await fetch(`${hub.url}/fdp`)).status).toBe(200);
  });

  it.each([
    { what: 'a non-http URL', body: { id: 'bad-one', url: 'file:///etc/passwd' } },
    { what: 'credentials in the URL', body: { id: 'bad-two', url: 'http://user:pw@127.0.0.1/fdp' } },
    { what: 'a malformed id', body: { id: 'Bad Id', url: 'http://127.0.0.1/fdp' } },
  ])('refuses $what with 400', async ({ body }) => {
    expect((await asAdmin('POST', '/api/v1/catalogue/harvest-sources', body)).status).toBe(400);
  });

  it('refuses a second source with the same id (409) and a run of an unknown one (404)', async () => {
    expect((await asAdmin('POST', '/api/v1/catalogue/harvest-sources', { id: sourceId, url: source.url })).status).toBe(409);
    expect((await asAdmin('POST', '/api/v1/catalogue/harvest-sources/no-such-source/run')).status).toBe(404);
  });
});

describe('a harvest of a second FAIR Data Point on loopback', () => {
  let kept: string;
  let dropped: string;

  it('brings its datasets in, published, walking the catalog pages', async () => {
    kept = addDataset('Harvested one');
    dropped = addDataset('Harvested two');
    addDataset('Harvested three');
    const result = await run();
    expect(result.status, JSON.stringify(result)).toBe('succeeded');
    expect(result.report).toMatchObject({ datasets: 3, created: 3, updated: 0, unchanged: 0, conflicts: [], rejected: [], withdrawn: [] });
    const rows = await snapshot();
    expect(rows.map((r) => [r.id, r.state])).toEqual([...source.datasets.keys()].sort().map((id) => [id, 'published']));
    expect(source.requests.filter((u) => u.includes('page=')).length).toBeGreaterThanOrEqual(2);
    const fdp = await fetch(`${hub.url}/fdp/dataset/${kept}`);
    expect(fdp.status).toBe(200);
  });

  it("carries the source's series and network into the catalogue, described as the source describes them", async () => {
    const net = await caller(hub)('GET', `/api/v1/catalogue/networks/${network.id}`);
    expect(net.status, JSON.stringify(net.body)).toBe(200);
    expect(net.body).toMatchObject({ id: network.id, title: 'Node network', description: 'A network' });
    const one = await caller(hub)('GET', `/api/v1/catalogue/series/${series.id}`);
    expect(one.body).toMatchObject({
      id: series.id,
      title: 'Harvested biobank',
      networkId: network.id,
      network: { id: network.id, title: 'Node network' },
    });
    const page = await caller(hub)('GET', `/api/v1/catalogue/datasets/${kept}`);
    expect(page.body).toMatchObject({ network: { id: network.id, title: 'Node network' } });
  });

  it('skips unchanged datasets and updates one whose dct:modified moved', async () => {
    const d = source.datasets.get(kept)!;
    source.datasets.set(kept, { ...d, metadata: { ...d.metadata, title: 'Harvested one, revised' }, modified: '2026-02-01T00:00:00.000Z' });
    const result = await run();
    expect(result.report).toMatchObject({ created: 0, updated: 1, unchanged: 2, withdrawn: [] });
    expect((await snapshot()).find((r) => r.id === kept)?.title).toBe('Harvested one, revised');
  });

  it('withdraws a dataset gone from the source, and its PID answers 410', async () => {
    source.datasets.delete(dropped);
    const result = await run();
    expect(result.report.withdrawn).toEqual([dropped]);
    expect((await snapshot()).find((r) => r.id === dropped)?.state).toBe('withdrawn');
    expect((await fetch(`${hub.url}/pid/${dropped}`, { headers: { accept: 'text/turtle' }, redirect: 'manual' })).status).toBe(410);
  });

  describe.each([
    { mode: 'hang', reason: 'timeout' },
    { mode: 'invalid', reason: 'invalid_rdf' },
    { mode: 'huge', reason: 'too_large' },
  ] as { mode: SourceMode; reason: string }[])('a source whose dataset records go wrong ($mode)', ({ mode, reason }) => {
    it(`skips each of them, reports ${reason}, and changes nothing: listed datasets are not withdrawn`, async () => {
      const before = await snapshot();
      source.setMode(mode);
      try {
        const result = await run();
        expect(result.status, JSON.stringify(result)).toBe('partial');
        expect(new Set(result.report.failures.map((f: { reason: string }) => f.reason))).toEqual(new Set([reason]));
        expect(result.report.withdrawn).toEqual([]);
      } finally {
        source.setMode('ok');
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe.each([
    { mode: 'redirect-loop', reason: 'redirect_loop' },
    { mode: 'html', reason: 'not_rdf' },
  ] as { mode: SourceMode; reason: string }[])('a source whose catalog goes wrong ($mode)', ({ mode, reason }) => {
    it(`reports ${reason} and withdraws nothing, since the listing was not read`, async () => {
      const parked = source.datasets.get(kept)!;
      source.datasets.delete(kept); // would be withdrawn by a run that took the unread listing for empty
      const before = await snapshot();
      source.setMode(mode);
      try {
        const result = await run();
        expect(result.status, JSON.stringify(result)).toBe('partial');
        expect(result.report.failures.map((f: { reason: string }) => f.reason)).toEqual([reason]);
        expect(result.report.withdrawn).toEqual([]);
      } finally {
        source.setMode('ok');
        source.datasets.set(kept, parked);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe.each([
    { mode: 'down', reason: 'http_status' },
    { mode: 'fat', reason: 'run_too_large' },
    { mode: 'many-links', reason: 'too_many_documents' },
    { mode: 'off-origin-link', reason: 'off_origin' },
    { mode: 'redirect-off-origin', reason: 'off_origin' },
  ] as { mode: SourceMode; reason: string }[])('a source that goes wrong as a whole ($mode)', ({ mode, reason }) => {
    it(`leaves the catalogue as it was and reports ${reason}`, async () => {
      const parked = source.datasets.get(kept)!;
      source.datasets.delete(kept); // would be withdrawn by a run that wrongly completed
      const before = await snapshot();
      const hitsBefore = canaryHits;
      source.setMode(mode);
      try {
        const result = await run();
        expect(result.status).toBe('failed');
        expect(result.reason, result.message).toBe(reason);
      } finally {
        source.setMode('ok');
        source.datasets.set(kept, parked);
      }
      expect(await snapshot()).toEqual(before);
      expect(canaryHits, 'no request left the source origin').toBe(hitsBefore);
      const list = await asAdmin('GET', '/api/v1/catalogue/harvest-sources');
      expect(list.body.sources.find((x: { id: string }) => x.id === sourceId).lastRun).toMatchObject({ status: 'failed', reason });
    });
  });

  it('skips one listed dataset whose record is gone (404), harvests the others and withdraws none', async () => {
    const broken = addDataset('Harvested, record broken');
    await run();
    source.missing.add(broken);
    const d = source.datasets.get(kept)!;
    source.datasets.set(kept, { ...d, modified: '2026-03-01T00:00:00.000Z' });
    try {
      const result = await run();
      expect(result.status, JSON.stringify(result)).toBe('partial');
      expect(result.report.failures).toEqual([expect.objectContaining({ url: source.datasetIri(broken), reason: 'http_status' })]);
      expect(result.report).toMatchObject({ updated: 1, withdrawn: [] });
      expect((await snapshot()).find((r) => r.id === broken)?.state).toBe('published');
    } finally {
      source.missing.delete(broken);
    }
  });

  it('keeps every dataset when the source drops its LDP containers, finding them by the reference links', async () => {
    const before = await snapshot();
    source.setLayout('reference');
    try {
      const result = await run();
      expect(result.status, JSON.stringify(result)).toBe('succeeded');
      expect(result.report.navigation).toMatchObject({ containers: 0 });
      expect(result.report.navigation.links).toBeGreaterThan(0);
      expect(result.report.withdrawn).toEqual([]);
    } finally {
      source.setLayout('containers');
    }
    expect((await snapshot()).map((r) => [r.id, r.state])).toEqual(before.map((r) => [r.id, r.state]));
  });

  it('reports an unreachable source', async () => {
    const id = `gone-${shortId()}`;
    await asAdmin('POST', '/api/v1/catalogue/harvest-sources', { id, url: `http://127.0.0.1:${await freePort()}/fdp` });
    const result = await run(id);
    expect([result.status, result.reason]).toEqual(['failed', 'unreachable']);
  });

  it('stops at the run deadline (hub clock) and leaves the catalogue as it was', async () => {
    const before = await snapshot();
    source.onDataset(() => {
      offset += 10 * 60_000; // past HARVEST_DEADLINE_SECONDS (300) at the first dataset
    });
    try {
      const result = await run();
      expect([result.status, result.reason]).toEqual(['failed', 'deadline']);
    } finally {
      source.onDataset(undefined);
      offset = 0;
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('scheduled harvests', () => {
  it('run from the maintenance sweep only when due', async () => {
    const id = `scheduled-${shortId()}`;
    expect(
      (
        await asAdmin('POST', '/api/v1/catalogue/harvest-sources', {
          id,
          url: `http://127.0.0.1:${await freePort()}/fdp`,
          intervalMinutes: 60,
        })
      ).status,
    ).toBe(201);
    const runsOf = async () => (await asAdmin('GET', `/api/v1/catalogue/harvest-sources/${id}/runs`)).body.runs as { trigger: string }[];
    await runMaintenance(hub.services);
    expect((await runsOf()).map((r) => r.trigger)).toEqual(['schedule']);
    await runMaintenance(hub.services);
    expect(await runsOf(), 'not due again for an hour').toHaveLength(1);
    offset += 61 * 60_000;
    try {
      await runMaintenance(hub.services);
    } finally {
      offset = 0;
    }
    expect(await runsOf()).toHaveLength(2);
  });
});
