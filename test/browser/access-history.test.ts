// The access history (tracer) in a real Chromium against a real hub: a dataset representative reads
// every recorded operation on their dataset, and on a dataset they do not represent only their own;
// a user who represents nothing is not shown the page. The traces come from the catalogue API
// (registering a dataset records CREATE_DATASET), so the page reads what the hub really wrote.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { DEMO_PASSWORD } from '../../scripts/oidc/accounts.ts';
import { buildWeb } from '../../web/build.ts';
import { seedHierarchy } from '../integration/catalogue-support.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the access history in Chromium', () => {
  let dir: string;
  let hub: TestHub;
  let browser: Browser;
  const ids = { represented: '', other: '' };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
    dir = await mkdtemp(path.join(tmpdir(), 'web-history-'));
    const webRoot = path.join(dir, 'web');
    await buildWeb({ outDir: webRoot });
    hub = await startTestHub({ webRoot });
    const { nodeId, seriesId } = await seedHierarchy(hub);
    const holder = await hub.client('dataholder');
    const register = async (title: string, representatives: string[]) => {
      const res = await holder.api.v1.catalogue.datasets.$post({ json: { nodeId, representatives, metadata: sampleMetadata({ title, seriesId }) } });
      const body = (await res.json()) as { id?: string };
      if (res.status !== 201 || !body.id) throw new Error(`registering ${title}: ${res.status} ${JSON.stringify(body)}`);
      return body.id;
    };
    ids.represented = await register('Represented cohort', ['representative']);
    ids.other = await register('Someone else’s cohort', []);
    // The representative's own use of the other dataset: the one trace of it they may read.
    await recordTrace(hub.services, { userId: 'representative', userAction: 'USE_DATASETS', datasetIds: [ids.other], tool: { name: 'radiomics', version: '1.2.0' }, runId: 'run-own', nodeId });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // A fresh context per user: the provider's login session must not carry over to the next account.
  async function logIn(username: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${hub.url}/access-history`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.origin === hub.oidc.issuer);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  const tableRows = async (page: Page) => {
    const rows = page.getByTestId('history-table').locator('tbody tr');
    await rows.first().waitFor();
    return rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  };

  it("shows a representative every operation on their dataset and, on another dataset, only their own", async () => {
    const page = await logIn('representative');
    await page.getByTestId('access-history').waitFor();
    await expect(page.getByTestId('history-dataset').inputValue(), 'the represented dataset is offered first').resolves.toBe(ids.represented);
    await page.getByRole('button', { name: 'Show' }).click();
    const own = await tableRows(page);
    expect(own.map((r) => [r[2], r[3], r[5]]), JSON.stringify(own)).toEqual([['CREATE_DATASET', 'dataholder', 'hub']]);
    expect(own[0]?.[4]).toContain('SHA3-256 of index and contents recorded');

    await page.getByTestId('history-dataset').fill(ids.other);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('history-table').locator('tbody tr td', { hasText: 'USE_DATASETS' }).waitFor();
    const other = await tableRows(page);
    expect(other.map((r) => [r[2], r[3]]), 'the data holder’s CREATE_DATASET on a dataset they do not represent stays hidden').toEqual([['USE_DATASETS', 'representative']]);
    expect(other[0]?.[4]).toContain('radiomics 1.2.0, run run-own');
    expect(await page.getByTestId('history-inconsistent').count()).toBe(0);
    await page.context().close();
  });

  it('tells a user who represents no dataset that the page is not for them', async () => {
    const page = await logIn('researcher');
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('access-history').count()).toBe(0);
    await page.context().close();
  });
});
