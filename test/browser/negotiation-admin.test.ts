// The admins' page in Chromium against a real hub: the application form as a JSON editor (the
// shared schema's problems listed before saving, the hub's 422 listed after, a valid edit stored as
// the next version that new requests get) and a webhook endpoint registered without its secret
// ever being shown again. Non-admins do not get the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eucaimApplicationForm } from '../../shared/negotiation/form-template.ts';
import { type BrowserSession, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

describe('negotiation administration in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-negotiation-admin-' });
    ({ hub } = session);
  });

  afterAll(() => session?.stop());

  const logIn = (username: string, then: string) => session.logIn(username, '/', then);

  it('edits the form as JSON: problems listed before and after saving, then a new version', async () => {
    const page = await logIn('admin', `${hub.url}/negotiation/admin`);
    const editor = page.getByTestId('form-json');
    await editor.waitFor();
    const current = JSON.parse(await editor.inputValue()) as typeof eucaimApplicationForm;
    expect(current.version).toBe(eucaimApplicationForm.version);

    const broken = { ...current, sections: [{ id: 'only', title: 'Only', elements: [{ type: 'magic', id: 'x', label: 'X' }] }] };
    await editor.fill(JSON.stringify(broken));
    await page.getByTestId('form-check').click();
    expect(await page.getByTestId('form-editor-status').textContent()).toContain('sections[0].elements[0].type');
    await page.getByTestId('form-save').click();
    await page.getByTestId('error-details').waitFor();
    expect(await page.getByTestId('error-details').textContent()).toContain('sections[0].elements[0].type');

    const renamed = { ...current, title: 'EUCAIM access application (2027)' };
    await editor.fill(JSON.stringify(renamed));
    await page.getByTestId('form-save').click();
    expect(await page.getByTestId('form-saved').textContent()).toContain(`version ${eucaimApplicationForm.version + 1}`);
    const served = await (await (await hub.client('researcher')).api.v1.negotiation.form.$get()).json();
    expect(served).toMatchObject({ title: 'EUCAIM access application (2027)', version: eucaimApplicationForm.version + 1 });
    await page.close();
  });

  it('registers a webhook endpoint and never shows its secret again', async () => {
    const page = await logIn('admin', `${hub.url}/negotiation/admin`);
    const secret = 'a-webhook-secret-of-at-least-32-chars!';
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
    await page.getByLabel('Shared secret (32+ characters)').fill(secret);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('webhooks').getByText('http://127.0.0.1:9/hook').waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.close();
  });

  it('does not give the page to a researcher', async () => {
    const page = await logIn('researcher', `${hub.url}/negotiation/admin`);
    await page.getByRole('main').waitFor();
    expect(await page.getByTestId('form-editor').count()).toBe(0);
    await page.close();
  });
});
