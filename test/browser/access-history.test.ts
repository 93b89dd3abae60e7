// The access history (tracer) in a real Chromium against a real hub: a dataset representative reads
// every recorded operation on their dataset, and on a dataset they do not represent only their own;
// a user who represents nothing is not shown the page. The traces come from the catalogue API
// (registering a dataset records CREATE_DATASET), so the page reads what the hub really wrote.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { seedHierarchy } from '../integration/catalogue-support.ts';
import { type BrowserSession, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

describe('the access history in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  const ids = { represented: '', other: '' };

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-history-' });
    ({ hub } = session);
    const { nodeId, seriesId } = await seedHierarchy(hub);
    const holder = await hub.client('dataholder');
    const register = async (title: string, representatives: string[]) => {
      const res = await holder.api.v1.catalogue.datasets.$post({
        json: { nodeId, representatives, metadata: sampleMetadata({ title, seriesId }) },
      });
      const body = (await res.json()) as { id?: string };
      if (res.status !== 201 || !body.id) throw new Error(`registering ${title}: ${res.status} ${JSON.stringify(body)}`);
      return body.id;
    };
    ids.represented = await register('Represented cohort', ['representative']);
    ids.other = await register('Someone else’s cohort', []);
    // The representative's own use of the other dataset: the one trace of it they may read.
    await recordTrace(hub.services, {
      userId: 'representative',
      userAction: 'USE_DATASETS',
      datasetIds: [ids.other],
      tool: { name: 'radiomics', version: '1.2.0' },
      runId: 'run-own',
      nodeId,
    });
  });

  afterAll(() => session?.stop());

  // Cookies cleared per login: the provider's login session must not carry over to the next account.
  const logIn = (username: string) => session.logIn(username, '/access-history');

  const tableRows = async (page: Page) => {
    const rows = page.getByTestId('history-table').locator('tbody tr');
    await rows.first().waitFor();
    return rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  };

  it('shows a representative every operation on their dataset and, on another dataset, only their own', async () => {
    const page = await logIn('representative');
    await page.getByTestId('access-history').waitFor();
    await expect(page.getByTestId('history-dataset').inputValue(), 'the represented dataset is offered first').resolves.toBe(
      ids.represented,
    );
    await page.getByRole('button', { name: 'Show' }).click();
    const own = await tableRows(page);
    expect(
      own.map((r) => [r[2], r[3], r[5]]),
      JSON.stringify(own),
    ).toEqual([['CREATE_DATASET', 'dataholder', 'hub']]);
    expect(own[0]?.[4]).toContain('SHA3-256 of index and contents recorded');

    await page.getByTestId('history-dataset').fill(ids.other);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('history-table').locator('tbody tr td', { hasText: 'USE_DATASETS' }).waitFor();
    const other = await tableRows(page);
    expect(
      other.map((r) => [r[2], r[3]]),
      'the data holder’s CREATE_DATASET on a dataset they do not represent stays hidden',
    ).toEqual([['USE_DATASETS', 'representative']]);
    expect(other[0]?.[4]).toContain('radiomics 1.2.0, run run-own');
    expect(await page.getByTestId('history-inconsistent').count()).toBe(0);
    await page.close();
  });

  it('tells a user who represents no dataset that the page is not for them', async () => {
    const page = await logIn('researcher');
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('access-history').count()).toBe(0);
    await page.close();
  });
});
