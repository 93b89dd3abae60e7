// The app's address bar and site navigation in a real Chromium: every page has its own URL, a deep
// link survives the login round trip, unknown pages say so, the access history (tracer) reads a
// dataset's traces, and the navigation's menus work by keyboard and pointer and fit a phone.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { type BrowserSession, signIn, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';
import { followNavLink, navLink } from '../support/site-nav.ts';

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
    await followNavLink(page, 'Search');
    await page.getByTestId('explorer-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/search');
    await page.goBack();
    await page.getByTestId('access-history').waitFor();
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.close();
  });

  /** What the bar shows with every menu closed: group buttons and single links, in order. */
  const bar = (page: Page) => page.getByTestId('site-nav').locator(':scope > ul > li > :is(a, button)').allTextContents();
  /** Each menu's label and its links, in order. */
  const menus = (page: Page) =>
    page
      .getByTestId('site-nav')
      .getByRole('button')
      .evaluateAll((buttons) =>
        Object.fromEntries(
          buttons.map((b) => [
            b.textContent,
            [...(document.getElementById(b.getAttribute('aria-controls') ?? '')?.querySelectorAll('a') ?? [])].map((a) => a.textContent),
          ]),
        ),
      );
  /** Every link the visitor may follow, in menus or not. */
  const links = async (page: Page) =>
    (await page.getByTestId('site-nav').getByRole('link', { includeHidden: true }).allTextContents()).sort();
  const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

  it("groups the navigation in menus along a researcher's way through, each link once, Help last, each role its own links", async () => {
    const page = await context.newPage();
    await page.goto(`${hub.url}/catalogue`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    // A group with one link for this visitor is that link.
    expect(await bar(page)).toEqual(['Find data', 'Access', 'Join', 'Help']);
    expect(await menus(page)).toEqual({ 'Find data': ['Dashboard', 'Catalogue'], Access: ['Cart', 'Access process'] });
    expect(await links(page)).toEqual(['Access process', 'Cart', 'Catalogue', 'Dashboard', 'Help', 'Join']);
    // Help carries the page the visitor is on.
    expect(await navLink(page, 'Help').getAttribute('href')).toBe('/help?from=%2Fcatalogue');

    await context.clearCookies();
    await signIn(page, hub, 'researcher');
    await page.getByTestId('log-out').waitFor();
    expect(await bar(page)).toEqual(['Find data', 'Access', 'Analyse', 'Contribute', 'Help']);
    expect(await menus(page)).toEqual({
      'Find data': ['Dashboard', 'Catalogue', 'Search'],
      Access: ['Cart', 'Requests', 'Access process', 'My datasets'],
      Analyse: ['Workspace', 'Tools', 'Network'],
      Contribute: ['Register', 'Join'],
      Help: ['My tickets', 'Notifications', 'Help'],
    });
    const researcherLinks = [
      'Dashboard',
      'Catalogue',
      'Search',
      'Cart',
      'Requests',
      'Access process',
      'Workspace',
      'Tools',
      'Network',
      'Register',
      'Join',
      'My datasets',
      'My tickets',
      'Notifications',
      'Help',
    ];
    expect(await links(page)).toEqual(researcherLinks.sort());
    await page.close();

    // Admin pages sit under Admin: the helpdesk queue, the access-request form editor, the mail outbox.
    const admin = await session.logIn('admin', '/catalogue');
    expect(await bar(admin)).toEqual(['Find data', 'Access', 'Analyse', 'Contribute', 'Help', 'Admin']);
    expect((await menus(admin)).Admin).toEqual(['Helpdesk', 'Request forms', 'Mail outbox']);
    expect(await links(admin)).toEqual([...researcherLinks, 'Helpdesk', 'Mail outbox', 'Request forms'].sort());
    await admin.close();
  });

  it('opens one menu at a time, by keyboard or pointer, and closes it on Escape, a click outside or tabbing away', async () => {
    const page = await session.logIn('researcher', '/workspace');
    const nav = page.getByTestId('site-nav');
    const find = nav.getByRole('button', { name: 'Find data', exact: true });
    const access = nav.getByRole('button', { name: 'Access', exact: true });
    const help = nav.getByRole('button', { name: 'Help', exact: true });
    const menuOf = async (button: Locator) => page.locator(`#${await button.getAttribute('aria-controls')}`);
    const findMenu = await menuOf(find);
    const accessMenu = await menuOf(access);

    // The page on screen: its link is current, and its group is marked where a person sees it.
    expect(await navLink(page, 'Workspace').getAttribute('aria-current')).toBe('page');
    const analyse = nav.getByRole('button', { name: 'Analyse', exact: true });
    expect(await analyse.getAttribute('aria-current')).toBe('true');
    expect(await find.getAttribute('aria-current')).toBeNull();
    const underline = (l: Locator) => l.evaluate((el) => getComputedStyle(el).textDecorationLine);
    expect(await underline(analyse)).toBe('underline');
    expect(await underline(find)).toBe('none');

    // Keyboard alone: Enter opens, Tab walks into the links, Escape closes and gives the focus back.
    expect(await find.getAttribute('aria-expanded')).toBe('false');
    expect(await findMenu.isVisible()).toBe(false);
    await find.focus();
    await page.keyboard.press('Enter');
    expect(await find.getAttribute('aria-expanded')).toBe('true');
    expect(await findMenu.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Catalogue', 'Search']);
    expect(await findMenu.getByRole('link', { name: 'Catalogue' }).isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(findMenu.getByRole('link', { name: 'Dashboard' }))).toBe(true);
    await page.keyboard.press('Escape');
    expect(await find.getAttribute('aria-expanded')).toBe('false');
    expect(await findMenu.isVisible()).toBe(false);
    expect(await isFocused(find)).toBe(true);

    // Opening another group closes the open one.
    await page.keyboard.press('Space');
    expect(await findMenu.isVisible()).toBe(true);
    await access.click();
    expect(await find.getAttribute('aria-expanded')).toBe('false');
    expect(await findMenu.isVisible()).toBe(false);
    expect(await access.getAttribute('aria-expanded')).toBe('true');
    await session.screenshot(page, 'nav-menu-open');
    // A click outside closes it.
    await page.getByTestId('app').click({ position: { x: 5, y: 5 } });
    expect(await access.getAttribute('aria-expanded')).toBe('false');
    expect(await accessMenu.isVisible()).toBe(false);

    // Tabbing past the last link of a menu closes it behind the focus.
    await help.focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await isFocused(navLink(page, 'Help'))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await help.getAttribute('aria-expanded')).toBe('false');

    // And a link reached by keyboard opens its page in place, with the menus closed again.
    await access.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await isFocused(navLink(page, 'Requests'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/negotiations');
    expect(await nav.getByRole('button', { name: 'Access', exact: true }).getAttribute('aria-expanded')).toBe('false');
    expect(await nav.getByRole('button', { name: 'Access', exact: true }).getAttribute('aria-current')).toBe('true');
    await page.close();
  });

  it('fits a 390 px wide screen without scrolling sideways, with any menu open', async () => {
    const page = await session.logIn('admin', '/');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    const buttons = page.getByTestId('site-nav').getByRole('button');
    expect(await buttons.count()).toBe(6);
    for (const button of await buttons.all()) {
      await button.click();
      const menu = page.locator(`#${await button.getAttribute('aria-controls')}`);
      const box = await menu.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, `${await button.textContent()} stays on screen`).toBe(true);
      expect(await overflow()).toBe(0);
    }
    await session.screenshot(page, 'nav-390px');
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
