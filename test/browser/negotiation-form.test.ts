// The application form and the lifecycle drawing in a real Chromium against a real hub: a member
// fills the EUCAIM form step by step, meets the shared validator's errors (a missing answer and an
// answer over the word limit), fixes them, finds the draft kept across a reload, reaches the overview
// and has the hub check the application; anyone sees the lifecycle drawn from the served chart.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycle } from '../../shared/negotiation/lifecycle.ts';
import { type BrowserSession, launchChromium, shown, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('negotiation pages in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-negotiation-' });
    ({ hub } = session);
  });

  afterAll(() => session?.stop());

  const stepTitle = (page: Page) => shown(page.getByTestId('form-step-title'));
  const next = async (page: Page, expected: string) => {
    await page.getByTestId('form-next').click();
    await page.getByTestId('form-step-title').filter({ hasText: expected }).waitFor();
  };

  it('fills the application, shows a missing and an over-long answer, and reaches the overview once fixed', async () => {
    const page = await session.logIn('researcher');
    await page.goto(`${hub.url}/negotiation/form-preview`);
    expect(await stepTitle(page)).toBe('1. Request summary');
    expect(await shown(page.getByTestId('request-summary'))).toContain('No datasets selected yet');
    await next(page, '2. Contact details');

    const fill = (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
    await fill('Applicant organisation name', 'Universitat Politècnica de València');
    await fill('Organisation acronym', 'UPV');
    await fill('Title of the principal investigator', 'Dr');
    await fill('Name of the principal investigator', 'Ana');
    await fill('Surname of the principal investigator', 'García');
    await fill('Phone number (with country code)', '+34 963 877 000');
    await fill('Role of the applicant in the organisation', 'Researcher');
    await next(page, '3. Scientific relevance');

    // The use-case title is left out and the description is one word over its limit.
    await fill('General description of the use case', words(601));
    expect(await shown(page.getByTestId('words-description'))).toBe('601 / 600 words');
    await fill('Expected timeline for the realisation of the use case', '18');
    await fill('Intended use and expected benefit of the EUCAIM data', 'Train and validate a prostate lesion detector.');
    await fill('Data needed for processing in a secure environment from', '2027-01-01');
    await fill('Data needed until', '2027-12-31');
    await page.getByTestId('form-next').click();
    await page.getByTestId('error-description').filter({ hasText: 'at most 600 words (now 601)' }).waitFor();
    expect(await shown(page.getByTestId('error-use_case_title'))).toBe('required');
    expect(await page.getByLabel('Title of the use case', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await stepTitle(page)).toBe('3. Scientific relevance');
    await session.screenshot(page, 'form-errors');

    await fill('Title of the use case', 'Prostate lesion detection');
    expect(await shown(page.getByTestId('error-use_case_title'))).toBe('');
    await fill('General description of the use case', words(600));
    expect(await shown(page.getByTestId('words-description'))).toBe('600 / 600 words');
    await next(page, '4. Ethical and legal requirements');

    // The draft survives a reload: every answer so far is still there.
    await page.reload();
    await page.getByTestId('form-step-title').filter({ hasText: '1. Request summary' }).waitFor();
    await next(page, '2. Contact details');
    expect(await page.getByLabel('Organisation acronym', { exact: true }).inputValue()).toBe('UPV');
    await next(page, '3. Scientific relevance');
    expect(await page.getByLabel('Title of the use case', { exact: true }).inputValue()).toBe('Prostate lesion detection');
    await next(page, '4. Ethical and legal requirements');

    await page.getByTestId('form-next').click();
    expect(await shown(page.getByTestId('error-legal_compliance'))).toBe('must be confirmed');
    await page.getByLabel('A certificate of ethics approval by an ethics committee is available for the project').check();
    await page.getByLabel('We are able to demonstrate due diligence in complying with the GDPR').check();
    await page.getByLabel('A certification or statement issued by our Data Protection Officer').check();
    await page.getByRole('group', { name: 'Will you apply for certification' }).getByLabel('No', { exact: true }).check();
    await page.getByLabel('Not available yet, but we are working towards it').check();
    await page.locator('#f-legal_compliance').check();
    await page.locator('#f-confidentiality').check();
    await next(page, '5. Confirmation');
    await page.locator('#f-personal_data').check();
    await next(page, '6. Overview');

    const overview = page.getByTestId('form-overview');
    expect(await shown(overview.locator('[data-answer=use_case_title]'))).toBe('Prostate lesion detection');
    expect(await shown(overview.locator('[data-answer=gdpr]'))).toBe('We are able to demonstrate due diligence in complying with the GDPR');
    expect(await shown(overview.locator('[data-answer=personal_data]'))).toBe('Confirmed');
    await page.getByTestId('form-submit').click();
    await page.getByTestId('form-status').filter({ hasText: 'it is complete' }).waitFor();
    await session.screenshot(page, 'form-overview');
    await page.close();
  });

  it('draws the lifecycle served by the hub for anyone, one box per state and one arrow per move', async () => {
    const anonymous = await launchChromium();
    try {
      const page = await anonymous.newPage();
      await page.goto(`${hub.url}/negotiation/lifecycle`);
      for (const chart of [lifecycle.negotiation, lifecycle.dataset]) {
        const svg = page.getByTestId(`chart-${chart.name}`);
        await svg.waitFor();
        expect(await svg.locator('g[data-state]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')))).toEqual(
          chart.states.map((s) => s.id),
        );
        const arrows = await svg
          .locator('g[data-event] path[data-from]')
          .evaluateAll((ps) =>
            ps.map((p) => `${p.getAttribute('data-from')} -${p.parentElement?.getAttribute('data-event')}-> ${p.getAttribute('data-to')}`),
          );
        expect(arrows.sort()).toEqual(chart.events.flatMap((e) => e.from.map((f) => `${f} -${e.id}-> ${e.to}`)).sort());
        expect(await svg.locator('g[data-final=true]').count()).toBe(chart.states.filter((s) => s.final).length);
      }
      expect(await shown(page.getByTestId('events-dataset'))).toContain('Return for resubmission');
      await session.screenshot(page, 'lifecycle');
    } finally {
      await anonymous.close();
    }
  });
});
