// The BBMRI-ERIC Negotiator's hand-over, as an existing catalogue calls it: an anonymous POST of the
// user's selection, checked against our catalogue and the registered discovery services, then turned
// into exactly one negotiation by the researcher who logs in at the redirect URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { createCatalogueStore } from '../../functions/catalogue/store.ts';
import { loadHubConfig } from '../../functions/config.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

const CATALOGUE = 'https://catalogue.example.org';

describe(`hand-over from a catalogue (${databaseKind()})`, () => {
  let hub: TestHub;
  const A = crypto.randomUUID();

  beforeAll(async () => {
    hub = await startTestHub({ env: { NEGOTIATION_DISCOVERY_ORIGINS: CATALOGUE } });
    const series = {
      id: `series-${crypto.randomUUID().slice(0, 8)}`,
      title: 'Hand-over biobank',
      description: 'Test',
      publisher: { name: 'Node A' },
      networkId: 'net-hov',
    };
    await createCatalogueStore(hub.services.db).upsertHarvested('hov-test', {
      id: A,
      modified: 'v1',
      series,
      metadata: sampleMetadata({ seriesId: series.id }),
    });
  });
  afterAll(async () => hub?.stop());

  const handOver = async (body: { url: string; humanReadable?: string; resources: { id: string; name?: string }[] }) => {
    const res = await (await hub.client()).api.v3.requests.$post({ json: body });
    return {
      status: res.status,
      body: (await res.json()) as unknown as { id: string; redirectUrl: string; resources: { id: string }[]; error?: { details: unknown } },
    };
  };

  it('takes a selection without login and answers where to send the user', async () => {
    const r = await handOver({
      url: `${CATALOGUE}/search?q=prostate`,
      humanReadable: 'Prostate MR',
      resources: [{ id: A, name: 'extra fields are ignored' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.resources).toEqual([{ id: A }]);
    expect(r.body.redirectUrl).toBe(`${hub.url}/negotiation/requests/${r.body.id}`);
    expect((await handOver({ url: `${hub.url}/search`, resources: [{ id: A }] })).status).toBe(201);
  });

  it.each([
    ['a dataset the catalogue does not have', () => ({ url: CATALOGUE, resources: [{ id: crypto.randomUUID() }] })],
    ['a dataset id that is not ours at all', () => ({ url: CATALOGUE, resources: [{ id: 'bbmri-eric:ID:XX_1' }] })],
    ['a catalogue that is not registered', () => ({ url: 'https://elsewhere.example.org/x', resources: [{ id: A }] })],
  ])('answers 400 for %s', async (_what, body) => {
    const r = await handOver(body());
    expect(r.status, JSON.stringify(r.body)).toBe(400);
  });

  it('shows the selection to logged-in users only, and starts exactly one negotiation from it', async () => {
    const { body } = await handOver({ url: CATALOGUE, humanReadable: 'Prostate MR', resources: [{ id: A }] });
    expect((await (await hub.client()).api.v1['negotiation-requests'][':id'].$get({ param: { id: body.id } })).status).toBe(401);
    const seen = await (await hub.client('researcher')).api.v1['negotiation-requests'][':id'].$get({ param: { id: body.id } });
    expect(await seen.json()).toMatchObject({ resources: [{ id: A }], humanReadable: 'Prostate MR', started: false });

    const start = async () => (await hub.client('researcher')).api.v1.negotiations.$post({ json: { request: body.id } });
    const both = await Promise.all([start(), start()]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const created = (await both.find((r) => r.status === 201)?.json()) as unknown as {
      state: string;
      humanReadable: string;
      datasets: { id: string }[];
    };
    expect(created).toMatchObject({ state: 'DRAFT', humanReadable: 'Prostate MR', datasets: [{ id: A, state: 'SUBMITTED' }] });
    expect((await start()).status).toBe(409);
  });

  it('names NEGOTIATION_DISCOVERY_ORIGINS when an entry is not an origin', () => {
    expect(() => loadHubConfig({ NEGOTIATION_DISCOVERY_ORIGINS: 'https://ok.example.org https://bad.example.org/path' })).toThrow(
      /NEGOTIATION_DISCOVERY_ORIGINS: https:\/\/bad.example.org\/path is not an origin/,
    );
  });
});
