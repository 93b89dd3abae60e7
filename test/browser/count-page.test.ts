// The researcher app in a real Chromium against a real hub and OIDC provider: the authorization-code
// + PKCE login through the provider's own page, then a federated count answered by two simulated nodes.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/oidc/accounts.ts';
import { type CountResult, verifyJob } from '../../shared/job-protocol.ts';
import { buildWeb } from '../../web/build.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

// The same override the project's test runner (scripts/test.ts) honours.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MR = 'RID10312';

type Node = Awaited<ReturnType<typeof nodeClient>>;

const counts = (nodeId: string, subjects: number, studies: number, unsupported: string[] = []): CountResult => ({
  collections: [{ id: `${nodeId}-ds`, name: nodeId, studies_count: studies, subjects_count: subjects }],
  total: { subjects_count: subjects, studies_count: studies },
  unsupported_keys: unsupported,
});

describe('the researcher web app in Chromium', () => {
  let dir: string;
  let hub: TestHub;
  let context: BrowserContext;
  let nodes: Node[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
    dir = await mkdtemp(path.join(tmpdir(), 'web-browser-'));
    const webRoot = path.join(dir, 'web');
    await buildWeb({ outDir: webRoot });
    hub = await startTestHub({ webRoot, env: { SEARCH_DEADLINE_SECONDS: '30' } });
    const admin = await hub.client('admin');
    nodes = [await nodeClient(hub.url, 'node-a'), await nodeClient(hub.url, 'node-b')];
    for (const n of nodes) {
      const res = await admin.api.v1.nodes.$post({ json: { id: n.nodeId, name: n.nodeId, publicJwk: n.publicJwk, admins: [] } });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    // A fresh profile: no cookies or storage from any earlier run can log anyone in.
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  });

  afterAll(async () => {
    await context?.close();
    await hub?.stop();
    if (dir && !process.env.KEEP_SCREENSHOTS) await rm(dir, { recursive: true, force: true });
  });

  const heartbeat = async () => {
    for (const n of nodes) {
      const hb = await n.call('POST', '/api/v1/bridge/heartbeat', { version: 'test', datasets: [] });
      expect(hb.status, JSON.stringify(hb.body)).toBe(200);
    }
  };

  /** Opens the app and signs in through the provider's login page, as a person would. */
  async function logIn(username: string): Promise<Page> {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(hub.url);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.origin === hub.oidc.issuer);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('log-out').waitFor();
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.KEEP_SCREENSHOTS) console.log(`screenshot: ${file}`);
  }

  /** The text as the user sees it rendered. */
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
  const shown = (l: Locator) => l.innerText();
  const cellText = (page: Page, row: string, cell: string) => shown(page.getByTestId(row).getByTestId(cell));

  it('logs a member in and shows both nodes answering an MR count, with the total', async () => {
    await heartbeat();
    const page = await logIn('researcher');
    // Back on the app with the one-time code gone from the address bar.
    expect(page.url()).toBe(`${hub.url}/`);
    expect(await shown(page.getByTestId('user-name'))).toBe('Demo Researcher');
    expect(await shown(page.getByTestId('user-roles'))).toContain('member');

    await page.getByLabel('MR').check();
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/search');
    await page.getByRole('button', { name: 'Count' }).click();
    const created = (await (await posted).json()) as { id: string };
    expect(created.id, JSON.stringify(created)).toMatch(/^srch_/);

    // Act as the two nodes: lease, verify the hub's signature, answer with different counts.
    const { keys: hubKeys, issuer } = (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: never[]; issuer: string };
    const answers = [
      [nodes[0]!, 3, 5, []],
      [nodes[1]!, 4, 9, ['RID10311']],
    ] as const;
    for (const [n, subjects, studies, unsupported] of answers) {
      const leased = await n.call('GET', '/api/v1/bridge/jobs?wait=0&max=5');
      expect(leased.status, JSON.stringify(leased.body)).toBe(200);
      const jobs = (leased.body as { jobs: { receipt: string; jws: string }[] }).jobs;
      expect(jobs).toHaveLength(1);
      const job = await verifyJob(jobs[0]!.jws, { hubKeys, issuer, nodeId: n.nodeId, seen: () => false });
      expect(job.body.payload).toEqual({
        searchId: created.id,
        query: { operand: 'OR', children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: MR }] }] }] },
      });
      const result = { status: 'answered', receipt: jobs[0]!.receipt, result: counts(n.nodeId, subjects, studies, [...unsupported]) };
      const answered = await n.call('POST', `/api/v1/bridge/jobs/${job.jobId}/result`, result);
      expect(answered.body, JSON.stringify(answered.body)).toEqual({ recorded: true });
    }

    await page.locator('[data-testid=results][data-search-status=completed]').waitFor({ timeout: 10_000 });
    const rows = await Promise.all(
      ['row-node-a', 'row-node-b', 'row-total'].map(async (row) => [
        await cellText(page, row, 'subjects'),
        await cellText(page, row, 'studies'),
      ]),
    );
    expect(rows).toEqual([['3', '5'], ['4', '9'], ['7', '14']]);
    expect(await cellText(page, 'row-node-a', 'status')).toBe('answered');
    expect(await cellText(page, 'row-node-b', 'status')).toBe('answered');
    expect(await cellText(page, 'row-node-b', 'notes')).toBe('Ignored filters: RID10311');
    expect(await shown(page.getByTestId('search-status'))).toBe('Completed: 2 of 2 nodes answered.');
    await screenshot(page, 'count-page');
    await page.close();
  });

  it("shows the hub's refusal readably, with the request id", async () => {
    const page = await logIn('researcher');
    // Corrupt the posted tree on its way out, so the real hub refuses it with its real error body.
    await page.route('**/api/v1/search', (route) =>
      route.continue({ postData: JSON.stringify({ ast: { operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALZ', value: MR }] } }) }),
    );
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/search');
    await page.getByRole('button', { name: 'Count' }).click();
    const res = await posted;
    expect(res.status()).toBe(400);
    const requestId = res.headers()['x-request-id'];
    await page.getByTestId('error').waitFor();
    expect(await shown(page.getByTestId('error'))).toContain('invalid json (bad_request)');
    expect(await shown(page.getByTestId('error-details'))).toContain('ast.children[0].type');
    expect(await shown(page.getByTestId('request-id'))).toBe(requestId);
    await screenshot(page, 'error');
    await page.close();
  });

  it('shows a non-member how to enrol instead of the search form, and logs out locally', async () => {
    const page = await logIn('outsider');
    expect(await shown(page.getByTestId('user-name'))).toBe('Demo Outsider');
    await page.getByTestId('enrol').waitFor();
    expect(await shown(page.getByTestId('enrol-instructions'))).toContain('members of the EUCAIM group');
    expect(await page.getByTestId('enrol-link').getAttribute('href')).toBe(hub.services.config.ENROL_URL);
    expect(await page.getByTestId('count-form').count()).toBe(0);
    await screenshot(page, 'enrol');

    // Local log-out: the tab forgets the tokens and offers the login again.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('log-in').count()).toBe(1);
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user')))).toEqual([]);
    await page.close();
  });
});
