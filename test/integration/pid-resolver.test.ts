import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../../shared/catalogue/profile.ts';
import { Parser, Store } from 'n3';
import { PREFIXES } from '../../functions/fdp/namespaces.ts';
import { PID_CACHE, PID_TYPES } from '../../functions/pid/routes.ts';
import { errorBodySchema } from '../../shared/errors.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { seedDatasets } from './fdp-support.ts';

let hub: TestHub;
let published: DatasetRecord;
let draft: DatasetRecord;
let withdrawn: DatasetRecord;

beforeAll(async () => {
  hub = await startTestHub();
  const seed = await seedDatasets(hub);
  published = await seed.make('Resolvable', 'published');
  draft = await seed.make('Not yet', 'draft');
  withdrawn = await seed.make('Gone <b>bold</b>', 'withdrawn');
});
afterAll(async () => hub?.stop());

const resolve = (id: string, accept?: string) =>
  fetch(`${hub.url}/pid/${id}`, { redirect: 'manual', headers: accept === undefined ? {} : { accept } });

describe('GET /pid/{uuid}', () => {
  it.each([
    {
      who: 'a browser',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      target: (id: string) => `/catalogue/datasets/${id}`,
    },
    { who: 'a client that does not care (*/*)', accept: '*/*', target: (id: string) => `/catalogue/datasets/${id}` },
    { who: 'a client without Accept', accept: undefined, target: (id: string) => `/catalogue/datasets/${id}` },
    { who: 'a Turtle client', accept: 'text/turtle', target: (id: string) => `/fdp/dataset/${id}` },
    { who: 'a JSON-LD client', accept: 'application/ld+json', target: (id: string) => `/fdp/dataset/${id}` },
    {
      who: 'an N-Triples client preferring it over HTML',
      accept: 'text/html;q=0.5, application/n-triples',
      target: (id: string) => `/fdp/dataset/${id}`,
    },
    { who: 'a JSON client', accept: 'application/json', target: (id: string) => `/api/v1/catalogue/datasets/${id}` },
  ])('sends $who 303 to the right place, cacheable and varying by Accept', async ({ accept, target }) => {
    const res = await resolve(published.id, accept);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(hub.url + target(published.id));
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  });

  it('lands on an FDP record that answers in the asked format when followed', async () => {
    const res = await fetch(`${hub.url}/pid/${published.id}`, { headers: { accept: 'application/ld+json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
  });

  it('sends an RDF/XML client 303 to the FDP record, which answers RDF/XML', async () => {
    const res = await resolve(published.id, 'application/rdf+xml');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${hub.url}/fdp/dataset/${published.id}`);
    const followed = await fetch(`${hub.url}/pid/${published.id}`, { headers: { accept: 'application/rdf+xml' } });
    expect(followed.headers.get('content-type')).toMatch(/^application\/rdf\+xml/);
  });

  it('refuses a type it does not serve with 406 not_acceptable listing what is, in the one error shape', async () => {
    const res = await resolve(published.id, 'application/xml');
    const body = errorBodySchema.parse(await res.json());
    expect(res.status).toBe(406);
    expect(body.error.code).toBe('not_acceptable');
    expect(res.headers.get('vary')).toBe('Accept');
    expect((body.error.details as { supported: string[] }).supported).toEqual([...PID_TYPES]);
  });

  it('answers a withdrawn dataset 410 gone to a JSON client, the tombstone in the one error shape', async () => {
    const res = await resolve(withdrawn.id, 'application/json');
    const body = errorBodySchema.parse(await res.json());
    expect(res.status).toBe(410);
    expect(res.headers.get('cache-control')).toBe(PID_CACHE.gone);
    expect(body.error.code).toBe('gone');
    expect(body.error.details).toEqual({
      id: withdrawn.id,
      pid: `${hub.url}/pid/${withdrawn.id}`,
      state: 'withdrawn',
      title: 'Gone <b>bold</b>',
      withdrawnAt: withdrawn.withdrawnAt,
      reason: 'consent <revoked> by the hospital',
    });
  });

  it.each([
    { accept: 'text/turtle', format: 'text/turtle' },
    { accept: 'application/n-triples', format: 'application/n-triples' },
  ])('answers a withdrawn dataset 410 to an RDF client ($accept) with the FDP tombstone record', async ({ accept, format }) => {
    const res = await resolve(withdrawn.id, accept);
    const text = await res.text();
    expect(res.status, text).toBe(410);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${format}`));
    expect(res.headers.get('cache-control')).toBe(PID_CACHE.gone);
    const store = new Store(new Parser({ format, baseIRI: hub.url }).parse(text));
    const s = `${hub.url}/fdp/dataset/${withdrawn.id}`;
    const one = (p: string) => store.getObjects(s, p, null).map((o) => o.value);
    expect(one(`${PREFIXES.dct}title`)).toEqual(['Gone <b>bold</b>']);
    expect(one(`${PREFIXES.dct}modified`)).toEqual([withdrawn.withdrawnAt]);
    expect(one(`${PREFIXES.skos}changeNote`)).toEqual(['consent <revoked> by the hospital']);
    expect(one(`${PREFIXES.owl}deprecated`)).toEqual(['true']);
  });

  it('answers a withdrawn dataset 410 to a JSON-LD client with the tombstone record as JSON-LD', async () => {
    const res = await resolve(withdrawn.id, 'application/ld+json');
    const doc = (await res.json()) as Record<string, { '@value': string }[]>[];
    expect(res.status).toBe(410);
    const node = doc.find((n) => (n as { '@id'?: unknown })['@id'] === `${hub.url}/fdp/dataset/${withdrawn.id}`);
    expect(node?.[`${PREFIXES.skos}changeNote`]?.[0]?.['@value']).toBe('consent <revoked> by the hospital');
  });

  it('answers a withdrawn dataset 410 with an escaped HTML tombstone for browsers', async () => {
    const res = await resolve(withdrawn.id, 'text/html');
    const page = await res.text();
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('Gone &lt;b&gt;bold&lt;/b&gt;');
    expect(page).toContain('consent &lt;revoked&gt; by the hospital');
    expect(page).toContain(withdrawn.withdrawnAt!);
  });

  it.each([
    { what: 'a draft (never published)', id: () => draft.id },
    { what: 'an identifier never issued', id: () => crypto.randomUUID() },
  ])('answers 404 for $what', async ({ id }) => {
    const res = await resolve(id(), 'text/turtle');
    const body = errorBodySchema.parse(await res.json());
    expect(res.status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(res.headers.get('vary')).toBe('Accept');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('answers 400 for a malformed UUID', async () => {
    const res = await resolve('not-a-uuid');
    expect(res.status).toBe(400);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('bad_request');
  });
});
