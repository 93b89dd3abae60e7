// The admins' page in Chromium against a real hub: the application form as a JSON editor (the
// shared schema's problems listed before saving, the hub's 422 listed after, a valid edit stored as
// the next version that new requests get) and a webhook endpoint registered without its secret
// ever being shown again. Non-admins do not get the page.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/oidc/accounts.ts';
import { eucaimApplicationForm } from '../../shared/negotiation/form-template.ts';
import { buildWeb } from '../../web/build.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('negotiation administration in Chromium', () => {
  let dir: string;
  let hub: TestHub;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
    dir = await mkdtemp(path.join(tmpdir(), 'web-negotiation-admin-'));
    const webRoot = path.join(dir, 'web');
    await buildWeb({ outDir: webRoot });
    hub = await startTestHub({ webRoot });
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  });

  afterAll(async () => {
    await context?.close();
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function logIn(username: string, then: string): Promise<Page> {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(hub.url);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.origin === hub.oidc.issuer);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('log-out').waitFor();
    await page.goto(then);
    return page;
  }

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
