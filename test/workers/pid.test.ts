import { env, exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../functions/adapters/db-postgres.ts';
import { createCatalogueStore } from '../../functions/catalogue/store.ts';
import { fullMetadata } from '../../functions/fdp/fixtures.ts';

// PUBLIC_URL from wrangler.toml's [vars]: the resolver's redirects are absolute on it.
const HUB = 'https://hub.eucaim.example';
const sourceId = `workers-${crypto.randomUUID().slice(0, 8)}`;
const published = crypto.randomUUID();
const withdrawn = crypto.randomUUID();

beforeAll(async () => {
  // Seeded through the catalogue's own store, over the same Postgres the Worker reaches by Hyperdrive.
  const database = openPostgres(env.HYPERDRIVE.connectionString, { max: 1 });
  try {
    const store = createCatalogueStore(database.db);
    const series = {
      id: `${sourceId}-series`,
      title: 'Workers biobank',
      description: 'Seeded for the PID test',
      publisher: { name: 'Workers hospital' },
      networkId: `${sourceId}-net`,
    };
    for (const [id, title] of [
      [published, 'Resolvable in workerd'],
      [withdrawn, 'Withdrawn in workerd'],
    ] as const) {
      const { outcome } = await store.upsertHarvested(sourceId, {
        id,
        metadata: fullMetadata({ title, seriesId: series.id }),
        modified: '2026-01-01T00:00:00Z',
        series,
      });
      expect(outcome).toBe('created');
    }
    expect(await store.withdrawMissing(sourceId, [published], 'gone from the source')).toEqual([withdrawn]);
  } finally {
    await database.close();
  }
});
afterAll(() => undefined);

describe('the PID resolver and FAIR Data Point in workerd', () => {
  it('sends a browser 303 to the dataset page and a Turtle client 303 to the FDP record', async () => {
    const page = await exports.default.fetch(`${HUB}/pid/${published}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`${HUB}/catalogue/datasets/${published}`);
    expect(page.headers.get('vary')).toBe('Accept');
    const rdf = await exports.default.fetch(`${HUB}/pid/${published}`, { headers: { accept: 'text/turtle' }, redirect: 'manual' });
    expect(rdf.status).toBe(303);
    expect(rdf.headers.get('location')).toBe(`${HUB}/fdp/dataset/${published}`);
  });

  it('answers 410 with the tombstone for a withdrawn dataset and 404 for an unknown one', async () => {
    const gone = await exports.default.fetch(`${HUB}/pid/${withdrawn}`, { headers: { accept: 'application/json' } });
    const body = (await gone.json()) as { error: { code: string; details: { title: string; reason: string } } };
    expect(gone.status).toBe(410);
    expect(body.error.code).toBe('gone');
    expect(body.error.details).toMatchObject({ title: 'Withdrawn in workerd', reason: 'gone from the source' });
    const unknown = await exports.default.fetch(`${HUB}/pid/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
  });

  it('serves the SHACL profile a record conforms to from the Worker build (no filesystem there)', async () => {
    const res = await exports.default.fetch(`${HUB}/fdp/profile/distribution`, { headers: { accept: 'text/turtle' } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain('DistributionShape');
    expect(text).toMatch(/dcat:mediaType|<http:\/\/www\.w3\.org\/ns\/dcat#mediaType>/);
  });

  it('serves the FDP dataset record as RDF/XML from the Worker build', async () => {
    const res = await exports.default.fetch(`${HUB}/fdp/dataset/${published}`, { headers: { accept: 'application/rdf+xml' } });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain(`rdf:about="${HUB}/fdp/dataset/${published}"`);
    expect(text).toContain('xmlns:eucaim="https://cancerimage.eu/ontology/EUCAIM#"');
  });

  it('serves the FDP dataset record as JSON-LD from the Worker build', async () => {
    const res = await exports.default.fetch(`${HUB}/fdp/dataset/${published}`, { headers: { accept: 'application/ld+json' } });
    const doc = (await res.json()) as { '@id': string }[];
    expect(res.status).toBe(200);
    expect(doc.map((n) => n['@id'])).toContain(`${HUB}/fdp/dataset/${published}`);
  });
});
