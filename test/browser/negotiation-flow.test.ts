// The whole access journey in Chromium, each person in their own login: the researcher sends the
// catalogue cart, attaches a file, submits the application and writes to the representatives, the
// admin approves and contacts the representative, the representative walks the dataset to "made
// available" with a grant, and the researcher sees the request concluded and the grant under
// "My datasets" with a signed statement that verifies.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import { createCatalogueStore } from '../../functions/catalogue/store.ts';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import { verifyGrant } from '../../shared/negotiation/grant.ts';
import { sampleAnswers } from '../../shared/negotiation/sample-answers.ts';
import { type BrowserSession, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

describe('an access request from hand-over to grant, in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  const A = crypto.randomUUID();

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-negotiation-flow-' });
    ({ hub } = session);
    const series = {
      id: `series-${crypto.randomUUID().slice(0, 8)}`,
      title: 'Flow biobank',
      description: 'Test',
      publisher: { name: 'Node A' },
      networkId: 'net-flow',
    };
    await createCatalogueStore(hub.services.db).upsertHarvested('flow-test', {
      id: A,
      modified: 'v1',
      series,
      metadata: sampleMetadata({ seriesId: series.id }),
    });
    await hub.services.db.insert(datasetRepresentatives).values({ datasetId: A, subject: 'representative' });
  });

  afterAll(() => session?.stop());

  const logIn = (username: string, then: string) => session.logIn(username, '/', then);

  const datasetIn = (page: Page, state: string) => page.locator(`[data-testid=dataset-${A}][data-state=${state}]`).waitFor();
  async function fire(page: Page, event: string, then: string): Promise<void> {
    await page.getByTestId(`ds-event-${event}`).click();
    await datasetIn(page, then);
  }

  it('goes from the catalogue cart to a granted, concluded request listed under My datasets', async () => {
    // The researcher collects the dataset from a catalogue search and sends the cart.
    let page = await logIn('researcher', `${hub.url}/catalogue?q=prostate`);
    await page.getByTestId(`catalogue-item-${A}`).getByTestId('add-to-cart').click();
    await page.goto(`${hub.url}/cart`);
    await page.getByTestId(`cart-item-${A}`).waitFor();
    await page.getByTestId('request-access').click();
    await page.getByTestId('negotiation').waitFor();
    const negotiationUrl = page.url();
    const id = negotiationUrl.split('/').at(-1) ?? '';
    expect(id).toMatch(/^neg_/);
    // The cart emptied once the negotiation existed, and the request carries the search it came from.
    expect(await page.evaluate(() => localStorage.getItem('eucaim.access-request-cart'))).toBe('[]');
    expect(await page.getByTestId('negotiation').textContent()).toContain('catalogue search q=prostate');
    // An ethics approval attached by content, offered to the form's attachment element.
    await page
      .getByTestId('attachment-file')
      .setInputFiles({ name: 'ethics.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nethics approval\n') });
    await page.getByTestId('attachments').getByText('ethics.pdf').waitFor();
    const client = await hub.client('researcher');
    expect((await client.api.v1.negotiations[':id'].answers.$put({ param: { id }, json: { answers: sampleAnswers() } })).status).toBe(200);
    await page.reload();
    for (let step = 1; step < 4; step++) await page.getByTestId('form-next').click();
    // Section 4 offers the attached PDF for the ethics certificate; the hub checks the reference on submit.
    await page.locator('#f-ethics_certificate').selectOption({ label: 'ethics.pdf' });
    for (let step = 4; step < 6; step++) await page.getByTestId('form-next').click();
    expect(await page.getByTestId('form-overview').locator('[data-answer=use_case_title]').textContent()).toBe('Prostate lesion detection');
    expect(await page.getByTestId('form-overview').locator('[data-answer=ethics_certificate]').textContent()).toMatch(/^att_/);
    await page.getByTestId('form-submit').click();
    await page.locator('[data-testid=negotiation][data-state=SUBMITTED]').waitFor();
    // A message to the representatives, on the timeline with the submission.
    await page.getByTestId('post-body').fill('We can start in January.');
    await page.getByTestId('post-send').click();
    await page.getByTestId('posts').getByText('We can start in January.').waitFor();
    expect(await page.getByTestId('timeline').locator('[data-kind=post]').count()).toBe(1);
    await page.close();

    page = await logIn('admin', negotiationUrl);
    await page.getByTestId('neg-event-approve').click();
    await page.locator('[data-testid=negotiation][data-state=IN_PROGRESS]').waitFor();
    await fire(page, 'contact_representative', 'REPRESENTATIVE_CONTACTED');
    await page.close();

    // The representative finds the request under what waits for them.
    page = await logIn('representative', `${hub.url}/negotiations`);
    await page.getByTestId(`waiting-${id}`).getByRole('link', { name: id }).click();
    await fire(page, 'check_availability', 'CHECKING_AVAILABILITY');
    await fire(page, 'mark_available', 'RESOURCE_AVAILABLE');
    await fire(page, 'indicate_access_conditions', 'ACCESS_CONDITIONS_INDICATED');
    // The representative may not accept the conditions for the researcher: no such button.
    expect(await page.getByTestId('ds-event-accept_access_conditions').count()).toBe(0);
    await page.close();

    page = await logIn('researcher', negotiationUrl);
    await fire(page, 'accept_access_conditions', 'ACCESS_CONDITIONS_MET');
    await page.close();

    page = await logIn('representative', negotiationUrl);
    await page.getByTestId('ds-event-grant_access').click();
    await page.getByLabel('Conditions').fill('Results only; no re-identification.');
    await page.getByTestId('grant-submit').click();
    await datasetIn(page, 'RESOURCE_MADE_AVAILABLE');
    await page.close();

    page = await logIn('researcher', `${hub.url}/negotiations`);
    await page.getByTestId('my-negotiations').getByRole('link', { name: id }).click();
    await page.locator('[data-testid=negotiation][data-state=CONCLUDED]').waitFor();
    expect(await page.getByTestId(`grant-${A}`).textContent()).toContain('REMOTE_PROCESSING');
    if (process.env.KEEP_SCREENSHOTS) await session.screenshot(page, 'concluded');
    // My datasets: the grant with its conditions and the signed statement, which verifies with the hub's key.
    await page.goto(`${hub.url}/my-datasets`);
    const grant = page.getByTestId(`my-grant-${A}`);
    await grant.waitFor();
    expect(await grant.getAttribute('data-status')).toBe('active');
    expect(await grant.getByTestId('grant-conditions').textContent()).toBe('Results only; no re-identification.');
    const jws = await grant.getByTestId('grant-jws').inputValue();
    const keys = await (await (await hub.client()).api.v1.negotiation.keys.$get()).json();
    expect(await verifyGrant(jws, keys, { issuer: hub.url, user: 'researcher', dataset: A })).toMatchObject({
      access: 'REMOTE_PROCESSING',
      negotiation: id,
    });
    await page.close();
  });

  it('tells a logged-in non-member why the cart cannot be sent', async () => {
    const page = await logIn('outsider', `${hub.url}/catalogue`);
    await page.getByTestId(`catalogue-item-${A}`).getByTestId('add-to-cart').click();
    await page.goto(`${hub.url}/cart`);
    await page.getByTestId(`cart-item-${A}`).waitFor();
    expect(await page.getByTestId('request-access').isDisabled()).toBe(true);
    expect(await page.getByTestId('enrol-instructions').textContent()).toContain('members of the EUCAIM group');
    await page.close();
  });
});
