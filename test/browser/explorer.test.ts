// The researcher app in a real Chromium against a real hub and OIDC provider: the authorization-code
// + PKCE login through the provider's own page, then a federated search through the explorer,
// answered live by simulated nodes, with a silent node timing out at the deadline.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import { type BrowserSession, shown, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';
import { heartbeat, leaseVerified, postResult, registerNodes, type SimNode } from '../support/sim-node.ts';

const MR = 'RID10312';
const FEMALE = 'SNOMEDCT248152002';
const DEADLINE_S = 5;

const twoDatasets: CountResult = {
  collections: [
    { id: 'ds-breast-mr', name: 'Breast MR cohort', subjects_count: 20, studies_count: 31 },
    { id: 'ds-prostate-mr', name: 'Prostate MR cohort', subjects_count: 10, studies_count: 12 },
  ],
  total: { subjects_count: 30, studies_count: 43 },
  unsupported_keys: [],
  obfuscation: { applied: true, method: 'laplace', epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 },
};

describe('the explorer in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  let nodes: SimNode[];

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-browser-', acceptDownloads: true });
    ({ hub } = session);
    nodes = await registerNodes(hub, ['node-a', 'node-b', 'node-c', 'node-d']);
  });

  afterAll(() => session?.stop());

  // The explorer lives at /search; the landing page is the public dashboard.
  const logIn = (username: string) => session.logIn(username, '/search');
  const cell = (page: Page, row: string, name: string) => shown(page.getByTestId(row).getByTestId(name));

  it('searches with catalogue filters, shows answers live, times out a silent node, downloads the report and fills the cart', async () => {
    const [a, b, c] = nodes as [SimNode, SimNode, SimNode, SimNode];
    for (const n of [a, b, c]) await heartbeat(n); // node-d stays offline
    const page = await logIn('researcher');
    expect(page.url()).toBe(`${hub.url}/search`);
    expect(await shown(page.getByTestId('user-name'))).toBe('Demo Researcher');
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 0 datasets');

    await page.getByLabel('Modality').selectOption(['MR']);
    await page.getByLabel('Gender').selectOption(['Female']);
    await page.getByLabel('Wait for nodes (seconds)').fill(String(DEADLINE_S));
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/search');
    await page.getByRole('button', { name: 'Search' }).click();
    const response = await posted;
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({
      ast: {
        operand: 'OR',
        children: [
          {
            operand: 'AND',
            children: [
              { operand: 'OR', children: [{ key: 'SNOMEDCT263495000', type: 'EQUALS', value: FEMALE }] },
              { operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: MR }] },
            ],
          },
        ],
      },
      deadlineSeconds: DEADLINE_S,
    });
    const created = (await response.json()) as { id: string };

    // Act as the nodes: node-a answers, node-b cannot apply Gender, node-c takes its job and goes silent.
    const [ja] = await leaseVerified(hub.url, a);
    expect(ja?.job.body).toMatchObject({ kind: 'search.count', payload: { searchId: created.id } });
    await postResult(a, ja!.job.jobId, { status: 'answered', receipt: ja!.receipt, result: twoDatasets });
    // Shown live, while the search is still running.
    await page.locator('[data-testid=row-node-a][data-status=answered]').waitFor({ timeout: 3000 });
    expect(await page.getByTestId('results').getAttribute('data-search-status')).toBe('running');
    expect(await cell(page, 'row-node-c', 'status')).toBe('pending');
    const [jb] = await leaseVerified(hub.url, b);
    await postResult(b, jb!.job.jobId, { status: 'unsupported', receipt: jb!.receipt, unsupported_keys: ['SNOMEDCT263495000'] });
    await leaseVerified(hub.url, c);

    await page.locator('[data-testid=results][data-search-status=completed]').waitFor({ timeout: (DEADLINE_S + 5) * 1000 });
    expect(await cell(page, 'row-node-a', 'status')).toBe('answered');
    expect([await cell(page, 'row-node-a', 'subjects'), await cell(page, 'row-node-a', 'studies')]).toEqual(['30', '43']);
    expect(await cell(page, 'row-node-a', 'notes')).toBe('Counts noise added, rounded to 10, 1–9 shown as 10.');
    expect(await cell(page, 'row-node-b', 'status')).toBe('unsupported');
    expect(await cell(page, 'row-node-b', 'notes')).toBe('Cannot apply: Gender');
    expect(await cell(page, 'row-node-c', 'status')).toBe('timed out');
    expect(await cell(page, 'row-node-c', 'subjects')).toBe('—');
    expect(await cell(page, 'row-node-d', 'status')).toBe('skipped');
    expect([await cell(page, 'row-total', 'subjects'), await cell(page, 'row-total', 'studies')]).toEqual(['30', '43']);
    expect(await shown(page.getByTestId('search-status'))).toBe('Completed: 1 of 3 nodes answered.');
    const breast = page.getByTestId('dataset-node-a-ds-breast-mr');
    expect([
      await cell(page, 'dataset-node-a-ds-breast-mr', 'subjects'),
      await cell(page, 'dataset-node-a-ds-breast-mr', 'studies'),
    ]).toEqual(['20', '31']);
    expect(await breast.getByTestId('dataset-link').getAttribute('href')).toBe('/catalogue/datasets/ds-breast-mr');
    await session.screenshot(page, 'explorer');

    const download = page.waitForEvent('download');
    await page.getByTestId('download-report').click();
    const file = await (await download).path();
    const report = JSON.parse(await readFile(file, 'utf8')) as {
      query: { words: string; tree: unknown };
      search: { id: string };
      nodes: { nodeId: string; status: string }[];
    };
    expect(report.search.id).toBe(created.id);
    expect(report.query.words).toBe('Gender is Female AND Modality is MR');
    expect(report.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['node-a', 'answered'],
      ['node-b', 'unsupported'],
      ['node-c', 'timed_out'],
      ['node-d', 'skipped'],
    ]);

    await breast.getByRole('button', { name: 'Add to request' }).click();
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 1 dataset');
    expect(await breast.getByTestId('add-to-cart').isDisabled()).toBe(true);
    const cart = await page.evaluate(() => JSON.parse(localStorage.getItem('eucaim.access-request-cart') ?? '[]'));
    // The cart keeps the search's query tree, so the access request can carry it.
    expect(cart).toEqual([
      {
        datasetId: 'ds-breast-mr',
        name: 'Breast MR cohort',
        nodeId: 'node-a',
        searchId: created.id,
        from: 'explorer',
        query: report.query.tree,
      },
    ]);
    // The cart outlives a reload.
    await page.reload();
    await page.getByTestId('explorer-form').waitFor();
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 1 dataset');
    await page.close();
  });

  it("shows the hub's refusal readably, with the request id", async () => {
    const page = await logIn('researcher');
    // Corrupt the posted tree on its way out, so the real hub refuses it with its real error body.
    await page.route('**/api/v1/search', (route) =>
      route.continue({
        postData: JSON.stringify({ ast: { operand: 'OR', children: [{ key: 'SNOMEDCT423493009', type: 'LOWER_THAN', value: 'forty' }] } }),
      }),
    );
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/search');
    await page.getByRole('button', { name: 'Search' }).click();
    const res = await posted;
    expect(res.status()).toBe(400);
    const requestId = res.headers()['x-request-id'];
    await page.getByTestId('error').waitFor();
    expect(await shown(page.getByTestId('error'))).toContain('invalid json (bad_request)');
    expect(await shown(page.getByTestId('error-details'))).toContain('ast.children[0].value');
    expect(await shown(page.getByTestId('request-id'))).toBe(requestId);
    await session.screenshot(page, 'error');
    await page.close();
  });

  it("shows the hub's notices about terms it does not know beside the results", async () => {
    const page = await logIn('researcher');
    // A newer explorer's catalogue may send a code this hub's does not know: the hub sends it on and says so.
    await page.route('**/api/v1/search', (route) =>
      route.continue({
        postData: JSON.stringify({
          ast: { operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID49581' }] },
          deadlineSeconds: 1,
        }),
      }),
    );
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('notices').waitFor();
    expect(await page.getByTestId('notice').allInnerTexts()).toEqual(['unknown value RID49581 of filter Modality']);
    // Beside the results: in the results block, above the table.
    expect(await page.getByTestId('results').getByTestId('notices').count()).toBe(1);
    await page.close();
  });

  it('shows a non-member how to enrol instead of the explorer, and logs out locally', async () => {
    const page = await logIn('outsider');
    expect(await shown(page.getByTestId('user-name'))).toBe('Demo Outsider');
    await page.getByTestId('enrol').waitFor();
    expect(await shown(page.getByTestId('enrol-instructions'))).toContain('members of the EUCAIM group');
    expect(await page.getByTestId('enrol-link').getAttribute('href')).toBe(hub.services.config.ENROL_URL);
    expect(await page.getByTestId('explorer-form').count()).toBe(0);
    await session.screenshot(page, 'enrol');

    // Local log-out: the tab forgets the tokens and offers the login again.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('log-in').count()).toBe(1);
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user')))).toEqual([]);
    await page.close();
  });
});
