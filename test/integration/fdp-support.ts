// Set-up shared by the FDP, PID and harvest suites: datasets in each state, written through the
// catalogue's own registry so they are the records registration makes.
import { Parser, type Quad } from 'n3';
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

export async function getRdf(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { accept: 'text/turtle', ...headers } });
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
