// Set-up shared by the FDP, PID and harvest suites: datasets in each state, written through the
// catalogue's own registry so they are the records registration makes.
import { Parser, type Quad } from 'n3';
import type { DatasetMetadata, DatasetRecord } from '../../shared/catalogue/profile.ts';
import { changeDataset, registerDataset } from '../../functions/catalogue/registry.ts';
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
  ): Promise<DatasetRecord> => {
    const metadata = fullMetadata({ title, seriesId: ids.seriesId, ...over });
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
