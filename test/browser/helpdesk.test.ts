// The helpdesk in a real Chromium against a real hub and OIDC provider: a researcher opens a ticket
// from the Help page, an admin answers it in the embedded agent view, and the researcher sees the
// reply on the ticket and a notification. An anonymous visitor sends an expression of interest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { mailOutbox } from '../../functions/adapters/mailer-outbox.sql.ts';
import { helpdeskTickets } from '../../functions/helpdesk/helpdesk.sql.ts';
import { type BrowserSession, shown, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';
import { followNavLink } from '../support/site-nav.ts';

describe('the helpdesk in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  let context: BrowserContext;

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-helpdesk-' });
    ({ hub, context } = session);
  });

  afterAll(() => session?.stop());

  it('opens a ticket from the Help page and follows it until the answer arrives', async () => {
    const user = await session.logIn('researcher');
    // Help from a catalogue page: the form carries that page and the ticket keeps it as its context.
    await followNavLink(user, 'Catalogue');
    await user.waitForURL((url) => url.pathname === '/catalogue');
    await followNavLink(user, 'Help');
    await user.waitForURL((url) => url.pathname === '/help');
    expect(new URL(user.url()).searchParams.get('from')).toBe('/catalogue');
    expect(await user.getByLabel('About the page').inputValue()).toBe('/catalogue');
    await user.getByLabel('Title').fill('Cannot download the report');
    await user.getByLabel('What do you need?').fill('The download button does nothing in my browser.');
    await user.getByRole('button', { name: 'Open ticket' }).click();
    await user.locator('[data-testid=ticket-opened][data-delivery=sent]').waitFor();
    const [stored] = await hub.services.db.select().from(helpdeskTickets).where(eq(helpdeskTickets.title, 'Cannot download the report'));
    expect(stored?.context).toEqual({ page: '/catalogue' });
    await user.getByTestId('open-ticket-link').click();
    await user.getByTestId('ticket').getByRole('heading', { name: 'Cannot download the report' }).waitFor();
    expect(await user.getByTestId('unread-count').getAttribute('data-count')).toBe('0');
    expect(await shown(user.getByTestId('ticket-status'))).toBe('new');
    const ticketUrl = user.url();

    // The admin answers in the embedded agent view.
    const admin = await session.logIn('admin');
    await followNavLink(admin, 'Helpdesk');
    await admin.getByTestId('agent-queue').getByRole('link', { name: 'Cannot download the report' }).click();
    await admin.getByTestId('agent-articles').getByText('The download button does nothing in my browser.').waitFor();
    await admin.getByLabel('Reply to the customer').fill('Please allow downloads for this site and try again.');
    await admin.getByRole('button', { name: 'Send reply' }).click();
    await admin.getByTestId('agent-articles').getByText('Please allow downloads for this site and try again.').waitFor();
    expect(await admin.getByTestId('agent-state').inputValue()).toBe('open');
    await session.screenshot(admin, 'agent-view');
    await admin.close();

    // The researcher sees the reply on the ticket and a notification pointing at it. The header's
    // unread badge asks the hub once per page load, not on every in-app navigation.
    const unreadCalls: string[] = [];
    user.on('request', (r) => {
      if (r.url().includes('/api/v1/me/notifications?unread=true')) unreadCalls.push(r.url());
    });
    await user.goto(ticketUrl);
    await user.locator('[data-testid=unread-count][data-count="1"]').waitFor();
    await user
      .locator('[data-testid=ticket-articles] [data-from=agent]')
      .getByText('Please allow downloads for this site and try again.')
      .waitFor();
    expect(await shown(user.getByTestId('ticket-status'))).toBe('open');
    await followNavLink(user, 'Notifications');
    const note = user.getByTestId('notifications').locator('li[data-read=false]');
    // count() does not wait: wait for the list to be drawn first.
    await note.first().waitFor();
    expect(await note.count()).toBe(1);
    expect(await note.getByRole('link').getAttribute('href')).toBe(new URL(ticketUrl).pathname);
    expect(unreadCalls).toHaveLength(1);
    await note.getByTestId('mark-read').click();
    await user.getByTestId('notifications').locator('li[data-read=true]').waitFor();
    // After reading, one more call, and the badge drops to zero.
    await user.locator('[data-testid=unread-count][data-count="0"]').waitFor();
    expect(unreadCalls).toHaveLength(2);
    await followNavLink(user, 'My tickets');
    expect(await shown(user.getByTestId('my-tickets').getByTestId('ticket-status'))).toBe('open');
    await session.screenshot(user, 'my-tickets');
    await user.close();
  });

  it('lets an anonymous visitor read a "Become a ..." page and send an expression of interest', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${hub.url}/join`);
    await page.getByTestId('join-software_provider').click();
    await page.getByTestId('join-software_provider-page').waitFor();
    expect(await page.getByTestId('rules').locator('li').count()).toBeGreaterThanOrEqual(8);
    await page.getByTestId('express-interest').click();
    await page.getByTestId('eoi-form').waitFor();
    await page.getByLabel('Gender').selectOption('female');
    await page.getByLabel('Contact person for the work/project, full name').fill('Ana Martínez');
    await page.getByLabel('E-mail address').fill('ana@tools.example.org');
    await page.getByLabel('Telephone number').fill('+34 600 000 000');
    await page.getByLabel('Job title').fill('CTO');
    await page.getByLabel('Organisation, full legal name').fill('Imaging Tools SL');
    await page.getByLabel('Department name').fill('Engineering');
    await page.getByLabel('Street').fill('Calle 1');
    await page.getByLabel('Town').fill('Valencia');
    await page.getByLabel('Post code').fill('46001');
    await page.getByLabel('Country').fill('Spain');
    await page.getByLabel('AI Tools and Solutions').check();
    await page.getByLabel('Capabilities and functionalities').fill('Segmentation models for prostate MR.');
    await page.getByRole('button', { name: 'Send expression of interest' }).click();
    await page.getByTestId('eoi-received').waitFor();
    const mails = await hub.services.db.select().from(mailOutbox);
    expect(mails.map((m) => m.to)).toEqual(['ana@tools.example.org']);
    await session.screenshot(page, 'expression-of-interest');
    await page.close();

    // On the embedded mailer the acknowledgement waits in the outbox, which admins can read.
    const admin = await session.logIn('admin');
    await admin.goto(`${hub.url}/helpdesk/outbox`);
    await admin.getByTestId('outbox').getByText('To ana@tools.example.org', { exact: false }).waitFor();
    expect(await shown(admin.getByTestId('outbox'))).toContain('EUCAIM: we received your expression of interest');
    await admin.close();
  });
});
