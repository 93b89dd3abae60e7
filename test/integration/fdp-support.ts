// Set-up shared by the FDP, PID and harvest suites: datasets in each state, written through the
// catalogue's own registry so they are the records registration makes.
import { Parser, type Quad } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { DatasetMetadata, DatasetRecord } from '../../shared/catalogue/profile.ts';
import { changeDataset, registerDataset } from '../../functions/catalogue/registry.ts';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { fullMetadata } from '../../functions/fdp/fixtures.ts';
import type { TestHub } from '../support/hub.ts';
import { seedHierarchy } from './catalogue-support.ts';

const admin = { sub: 'admin', admin: true };

export async function seedDatasets(hub: TestHub) {
  const ids = await seedHierarchy(hub);
  const make = async (
    title: string,
    state: 'draft' | 'published' | 'withdrawn',
    over: Partial<DatasetMetadata> = {},
    base: 'full' | 'minimal' = 'full',
  ): Promise<DatasetRecord> => {
    const metadata = (base === 'full' ? fullMetadata : sampleMetadata)({ title, seriesId: ids.seriesId, ...over });
    const draft = await registerDataset(hub.services, admin, { metadata });
    if (state === 'draft') return draft;
    const published = await changeDataset(hub.services, admin, draft.id, { kind: 'publish' });
    if (state === 'published') return published;
    return changeDataset(hub.services, admin, draft.id, { kind: 'withdraw', reason: 'consent <revoked> by the hospital' });
  };
  return { ...ids, make };
}

/**
 * A GET that tries once more when a kept-alive connection the hub already closed is reset (undici
 * reuses an idle socket the server timed out; GETs are safe to repeat).
 */
export async function getOnce(url: string | URL, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return fetch(url, init);
  }
}

export async function getRdf(url: string, headers: Record<string, string> = {}) {
  const res = await getOnce(url, { headers: { accept: 'text/turtle', ...headers } });
  const text = await res.text();
  return { res, text, quads: (): Quad[] => new Parser({ format: 'text/turtle', baseIRI: url }).parse(text) };
}

export interface FdpDocument {
  url: string;
  status: number;
  quads: Quad[];
}

/**
 * Every document the hub's FAIR Data Point serves, as a harvester meets them: from the root along
 * `ldp:contains`, paging `Link` headers and every IRI the hub minted (under /fdp), fragments
 * stripped. Each should answer 200 (or 410, a tombstone) with RDF; the others are listed in `failures`.
 */
export async function crawlFdp(hubUrl: string, extra: string[] = []): Promise<{ docs: FdpDocument[]; failures: string[] }> {
  const base = `${hubUrl}/fdp`;
  const seen = new Set<string>();
  const queue = [base, ...extra];
  const docs: FdpDocument[] = [];
  const failures: string[] = [];
  const enqueue = (iri: string) => {
    const url = iri.split('#')[0] as string;
    if ((url === base || url.startsWith(`${base}/`)) && !seen.has(url)) {
      seen.add(url);
      queue.push(url);
    }
  };
  for (const u of queue) seen.add(u);
  while (queue.length) {
    const url = queue.shift() as string;
    const { res, text, quads } = await getRdf(url);
    if (res.status !== 200 && res.status !== 410) {
      failures.push(`${url} answered ${res.status}: ${text.slice(0, 200)}`);
      continue;
    }
    const parsed = quads();
    docs.push({ url, status: res.status, quads: parsed });
    for (const q of parsed) for (const t of [q.subject, q.object]) if (t.termType === 'NamedNode') enqueue(t.value);
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    if (next) enqueue(next);
  }
  return { docs, failures };
}

/** RDF/XML parsed with a parser of its own (not the hub's writer read back by itself). */
export function parseRdfXml(text: string, baseIRI: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI });
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}
