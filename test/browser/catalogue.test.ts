// The public catalogue in a real Chromium against a real hub: dashboard (Chart.js under the page's
// strict CSP) -> catalogue -> a filter with facet counts -> a dataset page -> the cart; and a data
// holder's registration form answering field by field before anything is sent.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../functions/catalogue/sample.ts';
import type { DatasetMetadata } from '../../shared/catalogue/profile.ts';
import { caller, seedHierarchy } from '../integration/catalogue-support.ts';
import { type BrowserSession, shown, signIn, startBrowserSession } from '../support/browser.ts';
import type { TestHub } from '../support/hub.ts';

// EUCAIM DCAT-AP v2.0 codes (EUCAIM hyper-ontology).
const [MR, CT] = ['IMG1000038', 'IMG1000042'];
const LUNG = 'BP1000113';

describe('the catalogue in Chromium', () => {
  let session: BrowserSession;
  let hub: TestHub;
  let context: BrowserContext;
  let ids: Awaited<ReturnType<typeof seedHierarchy>>;
  const registered: Record<string, string> = {};
  const cspViolations: string[] = [];

  beforeAll(async () => {
    session = await startBrowserSession({ name: 'web-catalogue-' });
    ({ hub, context } = session);
    ids = await seedHierarchy(hub);
    const holder = caller(hub, 'dataholder');
    const datasets: [string, Partial<DatasetMetadata>][] = [
      ['prostate', { title: 'Prostate MR cohort', modalities: [MR], subjects: 120, studies: 340 }],
      [
        'lung',
        {
          title: 'Lung CT screening',
          modalities: [CT],
          bodyParts: [LUNG],
          condition: 'CLIN1000065',
          subjects: 300,
          studies: 310,
          keywords: ['screening'],
        },
      ],
      ['pelvis', { title: 'Pelvis CT follow-up', modalities: [CT], subjects: 45, studies: 90 }],
    ];
    for (const [key, over] of datasets) {
      const res = await holder('POST', '/api/v1/catalogue/datasets', {
        nodeId: ids.nodeId,
        metadata: sampleMetadata({ ...over, seriesId: ids.seriesId }),
      });
      registered[key] = res.body.id;
      await holder('POST', `/api/v1/catalogue/datasets/${res.body.id}/publish`);
    }
    const draft = await holder('POST', '/api/v1/catalogue/datasets', {
      nodeId: ids.nodeId,
      metadata: sampleMetadata({ title: 'Unpublished draft', seriesId: ids.seriesId }),
    });
    registered.draft = draft.body.id;
  });

  afterAll(() => session?.stop());

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(hub.url + url);
    return page;
  }

  it('walks dashboard -> catalogue -> filter -> dataset -> cart, anonymously', async () => {
    const page = await open('/');
    await page.getByTestId('dashboard').waitFor();
    expect(await shown(page.getByTestId('total-datasets'))).toContain('3');
    expect(await shown(page.getByTestId('total-subjects'))).toContain('465');
    // Chart.js drew on its canvases (a non-blank bitmap) under the CSP, and the figures are in text too.
    for (const chart of ['per-dataset', 'per-modality', 'per-body-part']) {
      const inked = await page.getByTestId(`chart-${chart}`).evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        return c.width > 0 && Array.prototype.some.call(data, (v: number) => v !== 0);
      });
      expect(inked, chart).toBe(true);
    }
    const modalityRows = await page.getByTestId('chart-per-modality-data').locator('tbody tr').allTextContents();
    expect(
      modalityRows
        .map((r) =>
          r
            .replace(/(\D)(\d)/, '$1 $2')
            .replace(/\s+/g, ' ')
            .trim(),
        )
        .sort(),
    ).toEqual(['Computed tomography 400', 'Magnetic resonance imaging 340']);
    expect(await page.getByText('Unpublished draft').count()).toBe(0);
    // The seed's home page ends in its four "Become a ..." links.
    const becomeA = page.getByTestId('become-a').getByRole('link');
    expect(await becomeA.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      '/join/user',
      '/join/software-provider',
      '/join/data-holder',
      '/join/stakeholder',
    ]);
    await page.getByTestId('become-data_holder').click();
    await page.getByTestId('join-data_holder-page').waitFor();
    await page.goBack();
    await page.getByTestId('dashboard').waitFor();

    await page.getByTestId('browse-catalogue').click();
    await page.getByTestId('catalogue').waitFor();
    expect(await shown(page.getByTestId('catalogue-total'))).toBe('3 datasets');
    const ctFacet = page.getByTestId('facet-modality').locator('label', { hasText: 'Computed tomography' });
    expect(await shown(ctFacet.getByTestId('facet-count'))).toBe('2');

    await page.getByTestId(`facet-modality-${CT}`).check();
    await page.waitForURL((u) => u.searchParams.get('modality') === CT);
    await page.getByTestId(`catalogue-item-${registered.lung}`).waitFor();
    expect(await shown(page.getByTestId('catalogue-total'))).toBe('2 datasets');
    expect(await page.getByTestId(`catalogue-item-${registered.prostate}`).count()).toBe(0);

    await page.getByTestId('catalogue-q').fill('screening');
    await page.getByTestId('catalogue-search').click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'screening');
    await page.getByTestId(`catalogue-item-${registered.lung}`).getByTestId('add-to-cart').click();
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 1 dataset');

    await page.getByTestId(`catalogue-item-${registered.lung}`).getByTestId('catalogue-item-link').click();
    await page.getByTestId('dataset-page').waitFor();
    expect(await shown(page.getByTestId('dataset-title'))).toBe('Lung CT screening');
    expect(await shown(page.getByTestId('breadcrumb'))).toContain(`Biobank ${ids.seriesId}`);
    expect(await shown(page.getByTestId('access-conditions'))).toContain('In-situ processing');
    expect(await shown(page.getByTestId('dataset-metadata'))).toContain('Malignant tumor of lung');
    expect(await page.getByTestId('add-to-cart').isDisabled()).toBe(true);

    await page.goto(`${hub.url}/catalogue/datasets/${registered.prostate}`);
    await page.getByTestId('add-to-cart').click();
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 2 datasets');

    await page.goto(`${hub.url}/cart`);
    await page.getByTestId('cart-items').waitFor();
    expect(await shown(page.getByTestId(`cart-item-${registered.lung}`).getByTestId('cart-origin'))).toContain('screening');
    expect(await shown(page.getByTestId(`cart-item-${registered.prostate}`).getByTestId('cart-origin'))).toBe('the catalogue');
    expect(await page.getByTestId('request-access').isDisabled()).toBe(true);
    await page.getByTestId(`cart-item-${registered.prostate}`).getByTestId('cart-remove').click();
    expect(await page.getByTestId(`cart-item-${registered.prostate}`).count()).toBe(0);
    expect(await shown(page.getByTestId('cart-count'))).toBe('Request: 1 dataset');

    // A draft is not found for anonymous visitors.
    await page.goto(`${hub.url}/catalogue/datasets/${registered.draft}`);
    await page.getByTestId('dataset-not-found').waitFor();
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('gives a data holder field-by-field feedback in the registration form, before sending anything', async () => {
    const page = await open('/catalogue/register');
    await signIn(page, hub, 'dataholder');
    await page.getByTestId('register-form').waitFor();
    // The FAIR Data Point's shapes want a media type per distribution: the form proposes DICOM's.
    expect(await page.getByLabel('Media type').inputValue()).toBe('application/dicom');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/catalogue/datasets') posts++;
    });
    await page.getByLabel('Subjects').fill('-3');
    expect(await shown(page.getByTestId('error-metadata.subjects'))).toMatch(/>=\s*0|too small/i);
    expect(await shown(page.getByTestId('error-metadata.title'))).toBe('');
    await page.getByLabel('Subjects').fill('12');
    expect(await shown(page.getByTestId('error-metadata.subjects'))).toBe('');
    await page.getByTestId('save-dataset').click();
    expect(await shown(page.getByTestId('form-summary'))).toMatch(/problems to fix/);
    expect(await shown(page.getByTestId('error-metadata.title'))).not.toBe('');
    expect(posts).toBe(0);
    expect(cspViolations).toEqual([]);
    await page.close();
  });
});
