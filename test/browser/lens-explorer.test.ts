// The real explorer: Samply Lens's own web components (npm @samply/lens) with the EUCAIM explorer's
// catalogue, on an origin of their own, pointed at the hub as their Spot. The user logs in through the
// hub (explorer session cookie), picks a criterion in Lens's search bar, searches, and both nodes'
// answers land in Lens's own result table, carried by the browser's cookies across origins (CORS).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import { type BrowserSession, shown, signIn, startBrowserSession } from '../support/browser.ts';
import { hasConformance, NO_CONFORMANCE } from '../support/conformance.ts';
import { type LensExplorer, serveLensExplorer } from '../support/lens-explorer.ts';
import { freePort } from '../support/ports.ts';
import { heartbeat, leaseVerified, postResult, registerNodes, type SimNode } from '../support/sim-node.ts';
import { spotTasks } from '../../functions/spot/spot.sql.ts';

const answer = (subjects: number, studies: number, name: string): CountResult => ({
  collections: [
    {
      id: `${name}-1`,
      name: `${name} prostate MR`,
      subjects_count: subjects - 10,
      studies_count: studies - 10,
      age_range: { min: 45, max: 74 },
    },
    { id: `${name}-2`, name: `${name} breast MR`, subjects_count: 10, studies_count: 10, age_range: null },
  ],
  total: { subjects_count: subjects, studies_count: studies },
  unsupported_keys: [],
  obfuscation: { applied: true, method: 'laplace', epsilon: 0.28, sensitivity: 1, roundingStep: 10, smallCountThreshold: 10 },
});

describe.skipIf(!hasConformance)(`a Samply Lens explorer against the hub ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
  let session: BrowserSession;
  let explorer: LensExplorer;
  /** The same page on a sibling origin of the same site that the hub does not list as an explorer. */
  let stranger: LensExplorer;
  let nodes: SimNode[];

  beforeAll(async () => {
    const port = await freePort();
    session = await startBrowserSession({
      name: 'lens-explorer-',
      hub: { env: { SPOT_EXPLORER_ORIGINS: `http://127.0.0.1:${port}`, SEARCH_DEADLINE_SECONDS: '20' } },
    });
    explorer = await serveLensExplorer(port, session.hub.url);
    stranger = await serveLensExplorer(await freePort(), session.hub.url);
    nodes = await registerNodes(session.hub, ['node-a', 'node-b']);
  });
  afterAll(async () => {
    await explorer?.close();
    await stranger?.close();
    await session?.stop();
  });

  /** Lens's table rows, as the user reads them: provider, imaging studies, subjects. */
  const tableRows = (page: Page) =>
    page.evaluate(() =>
      [...(document.querySelector('lens-result-table')?.shadowRoot?.querySelectorAll('tbody tr') ?? [])]
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '').filter((t) => t !== ''))
        .filter((cells) => cells.length > 0),
    );

  it('logs in through the hub, searches with Lens, and shows both nodes in Lens’s own result table', async () => {
    const { hub } = session;
    for (const n of nodes) await heartbeat(n);
    const page = await session.context.newPage();
    await page.goto(`${explorer.url}/`);
    // No session yet: the explorer sends the user to the hub to log in, and the hub sends them back.
    await page.getByTestId('explorer-log-in').click();
    await page.waitForURL((url) => url.origin === hub.url && url.pathname === '/explorer-session');
    await signIn(page, hub, 'researcher');
    await page.waitForURL(`${explorer.url}/`);
    await page.locator('[data-testid=explorer-login][data-logged-in=true]').waitFor();
    expect(await shown(page.getByTestId('explorer-login'))).toBe('Logged in as Demo Researcher');
    const cookies = await session.context.cookies(`${hub.url}/api/v1/spot/beam`);
    expect(cookies.find((c) => c.name === 'eucaim_spot')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // Lens's search bar, with the EUCAIM catalogue: Modality is MR.
    await page.getByPlaceholder('Type to filter conditions').fill('Modality');
    await page.locator('lens-search-bar-multiple li', { hasText: 'Magnetic Resonance Imaging' }).click();
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${hub.url}/api/v1/spot/beam`);
    await page.locator('lens-search-button button').click();
    const response = await posted;
    expect(response.status()).toBe(201);
    const body = JSON.parse(response.request().postData() ?? '{}') as { id: string; query: string };
    const outer = JSON.parse(atob(body.query)) as { lang: string; query: string };
    expect(outer.lang).toBe('ast');
    expect(JSON.stringify(JSON.parse(atob(outer.query)).ast)).toContain('"key":"RID10311"');

    // Both nodes are claimed at once: Lens shows them as loading.
    await expect.poll(async () => (await tableRows(page)).map((r) => r[0]).sort(), { timeout: 5000 }).toEqual(['node-a', 'node-b']);
    const [a, b] = nodes as [SimNode, SimNode];
    const [ja] = await leaseVerified(hub.url, a);
    expect(ja?.job.body).toMatchObject({ kind: 'search.count', payload: { query: { operand: 'OR' } } });
    await postResult(a, ja!.job.jobId, { status: 'answered', receipt: ja!.receipt, result: answer(40, 60, 'A') });
    const [jb] = await leaseVerified(hub.url, b);
    await postResult(b, jb!.job.jobId, { status: 'answered', receipt: jb!.receipt, result: answer(20, 30, 'B') });

    await expect
      .poll(async () => (await tableRows(page)).sort((x, y) => (x[0] ?? '').localeCompare(y[0] ?? '')), { timeout: 5000 })
      .toEqual([
        ['node-a', '60', '40'],
        ['node-b', '30', '20'],
      ]);
    const summary = await page.evaluate(() => document.querySelector('lens-result-summary')?.shadowRoot?.textContent ?? '');
    expect(summary.replace(/\s+/g, ' ')).toContain('Studies: 90');
    expect(await shown(page.getByTestId('explorer-problems'))).toBe('');
    await session.screenshot(page, 'lens-explorer');
  });

  it('keeps a same-site page the hub does not list out of the session, though the browser holds the cookie', async () => {
    const { hub } = session;
    // Logged in by the first test: the cookie is in this browser profile.
    const before = await hub.services.db.select().from(spotTasks);
    const page = await session.context.newPage();
    await page.goto(`${stranger.url}/`);
    await page.getByTestId('explorer-log-in').waitFor(); // its credentialed GET got no CORS answer: no session for it
    const attempts = await page.evaluate(async (spotUrl) => {
      // A well-formed task: only the hub's defences can stop it.
      const query = btoa(JSON.stringify({ lang: 'ast', query: btoa(JSON.stringify({ ast: { operand: 'OR', children: [] } })) }));
      const body = JSON.stringify({ id: crypto.randomUUID(), query });
      const outcome = (p: Promise<Response>) => p.then((r) => `${r.type} ${r.status}`).catch((e: Error) => e.name);
      return {
        // A JSON POST needs a preflight, which the hub refuses to this origin: the POST is never sent.
        json: await outcome(
          fetch(`${spotUrl}/beam`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body }),
        ),
        // A "simple" POST is sent without asking, with the cookie (same site): refused as not JSON and by the Origin check.
        simple: await outcome(
          fetch(`${spotUrl}/beam`, {
            method: 'POST',
            credentials: 'include',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body,
          }),
        ),
      };
    }, `${hub.url}/api/v1/spot`);
    expect(attempts).toEqual({ json: 'TypeError', simple: 'opaque 0' });
    expect(await hub.services.db.select().from(spotTasks)).toEqual(before);
    await page.close();
  });
});
