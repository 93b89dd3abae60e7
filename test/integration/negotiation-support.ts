// Shared set-up for the negotiation suites: two published datasets (A represented by
// `representative`, B by `dataholder`), a submitted-ready negotiation, and small typed helpers.
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { createCatalogueStore } from '../../functions/catalogue/store.ts';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import type { Clock } from '../../functions/ports/clock.ts';
import { sampleAnswers } from '../../shared/negotiation/sample-answers.ts';
import type { TestHub } from '../support/hub.ts';

/** A clock the test moves forward by hand: reminders and auto-close without sleeping. */
export function manualClock(start = Date.now()): Clock & { advanceDays(days: number): void } {
  let now = start;
  return { now: () => new Date(now), advanceDays: (days) => (now += days * 24 * 3600_000) };
}

export async function seedDatasets(hub: TestHub): Promise<{ A: string; B: string }> {
  const A = crypto.randomUUID();
  const B = crypto.randomUUID();
  const store = createCatalogueStore(hub.services.db);
  const series = {
    id: `series-${crypto.randomUUID().slice(0, 8)}`,
    title: 'Negotiation biobank',
    description: 'Test',
    publisher: { name: 'Node A' },
    networkId: 'net-neg',
  };
  for (const id of [A, B])
    await store.upsertHarvested('neg-test', { id, modified: 'v1', series, metadata: sampleMetadata({ seriesId: series.id }) });
  await hub.services.db.insert(datasetRepresentatives).values([
    { datasetId: A, subject: 'representative' },
    { datasetId: B, subject: 'dataholder' },
  ]);
  return { A, B };
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** A draft by `researcher` for the datasets, with complete answers saved. */
export async function draftWithAnswers(hub: TestHub, datasets: string[]): Promise<string> {
  const client = await hub.client('researcher');
  const res = await client.api.v1.negotiations.$post({ json: { resources: datasets.map((id) => ({ id })) } });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(body)}`);
  const saved = await client.api.v1.negotiations[':id'].answers.$put({ param: { id: body.id }, json: { answers: sampleAnswers() } });
  if (saved.status !== 200) throw new Error(`answers failed: ${saved.status}`);
  return body.id;
}

export async function fire(hub: TestHub, who: string, id: string, event: 'submit' | 'approve' | 'decline' | 'abandon') {
  const res = await (await hub.client(who)).api.v1.negotiations[':id'].events.$post({ param: { id }, json: { event } });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Makes the hub know a user (their e-mail and admin flag), as any call to the negotiation routes does. */
export async function introduce(hub: TestHub, ...who: string[]): Promise<void> {
  for (const u of who) await (await hub.client(u)).api.v1.negotiations.$get();
}
