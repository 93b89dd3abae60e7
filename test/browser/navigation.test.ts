// The app's address bar in a real Chromium: every page has its own URL, a deep link survives the
// login round trip, unknown pages say so, and the access history (tracer) reads a dataset's traces.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { type BrowserSession, signIn, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

const DATASET = 'c75d0998-85db-4c94-9d2c-346961f0c6f7';

describe('pages and addresses in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  let context: BrowserContext;

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-nav-' });
    ({ hub, context } = session);
    await hub.services.db.insert(datasetRepresentatives).values({ datasetId: DATASET, subject: 'representative' });
    await recordTrace(hub.services, { userId: 'researcher', userAction: 'ACCESS_GRANTED', datasetIds: [DATASET], requestId: 'neg_demo' });
    await recordTrace(hub.services, { userId: 'representative', userAction: 'UPDATE_DATASET', datasetIds: [DATASET], details: 'PUBLISH' });
  });

  afterAll(() => session?.stop());

  it('opens a deep link, keeps it through the login round trip, shows the access history and navigates in place', async () => {
    const page = await context.newPage();
    const res = await page.goto(`${hub.url}/access-history`);
    expect(res?.status(), 'a page path is served the app').toBe(200);
    await page.getByTestId('welcome').waitFor();
    await signIn(page, hub, 'representative');
    await page.getByTestId('access-history').waitFor();
    expect(new URL(page.url()).pathname).toBe('/access-history');
    expect(new URL(page.url()).search, 'the one-time code is gone from the address bar').toBe('');

    await expect(page.getByTestId('history-dataset').inputValue()).resolves.toBe(DATASET);
    await page.getByRole('button', { name: 'Show' }).click();
    const rows = page.getByTestId('history-table').locator('tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const actions = await rows.locator('td:nth-child(3)').allTextContents();
    expect(actions).toEqual(['ACCESS_GRANTED', 'UPDATE_DATASET']);

    // Same tab (tokens live in this tab's sessionStorage): in-app links do not reload the page.
    // A marker on the window survives in-app navigation and dies with a reload.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await page.getByTestId('site-nav').getByRole('link', { name: 'Search' }).click();
    await page.getByTestId('explorer-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/search');
    await page.goBack();
    await page.getByTestId('access-history').waitFor();
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.close();
  });

  it("orders the navigation along a researcher's way through, each link once, Help last", async () => {
    const labels = (page: Page) => page.getByTestId('site-nav').getByRole('link').allTextContents();
    const page = await context.newPage();
    await page.goto(`${hub.url}/catalogue`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await labels(page)).toEqual(['Dashboard', 'Catalogue', 'Cart', 'Access process', 'Join', 'Help']);
    // Help carries the page the visitor is on.
    expect(await page.getByTestId('site-nav').getByRole('link', { name: 'Help' }).getAttribute('href')).toBe('/help?from=%2Fcatalogue');

    await context.clearCookies();
    await signIn(page, hub, 'researcher');
    await page.getByTestId('log-out').waitFor();
    expect(await labels(page)).toEqual(['Dashboard', 'Catalogue', 'Search', 'Cart', 'Requests', 'Access process', 'Workspace', 'Tools', 'Network', 'Register', 'Join', 'My datasets', 'My tickets', 'Notifications', 'Help']);
    await page.close();
  });

  it('says when a page does not exist, while unknown API paths stay JSON 404s', async () => {
    const page = await context.newPage();
    await page.goto(`${hub.url}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
    const api = await fetch(`${hub.url}/api/v1/no-such-route`, { headers: { authorization: `Bearer ${await hub.token('researcher')}` } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    await page.close();
  });
});
