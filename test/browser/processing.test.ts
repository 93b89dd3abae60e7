// Federated processing in Chromium: a researcher with a processing grant starts a run from the
// workspace on a node the test simulates with the real signed protocol; the node leases and verifies
// its job, reports, uploads its log and output; the page shows the node's states and the log, and
// the output downloads. The network page shows a node's health after a Refresh.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadGrant } from '../../shared/processing/bridge-api.ts';
import type { RunJobPayload } from '../../shared/processing/run.ts';
import { DIGEST, type Federation, healthReport, processingFederation } from '../integration/processing-support.ts';
import { type BrowserSession, startBrowserSession } from '../support/browser.ts';
import { leaseVerified } from '../support/sim-node.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('federated processing in the browser', () => {
  let session: BrowserSession<Federation>;
  let f: Federation;
  let dataset: string;

  beforeAll(async () => {
    session = await startBrowserSession({
      name: 'web-processing-',
      start: (webRoot) => processingFederation({ webRoot }),
      reach: (fed) => fed.hub,
      acceptDownloads: true,
    });
    f = session.hub;
    await f.sendHealth(f.a);
    dataset = (await f.grant('researcher')).dataset;
  });

  afterAll(() => session?.stop());

  const logIn = (username: string, then: string) => session.logIn(username, '/', then);

  it('starts a run from the workspace, follows the node, shows the log and downloads the output', async () => {
    const page = await logIn('researcher', '/workspace');
    await page.getByTestId(`use-${dataset}`).check();
    expect(await page.getByTestId(`node-${dataset}`).inputValue()).toBe('node-a');
    await page.getByTestId('param-threshold').fill('5');
    await page.getByTestId('param-label').fill('lung');
    await page.getByTestId('run-submit').click();
    await page.waitForURL(/\/workspace\/runs\/run_/);
    const runId = page.url().split('/').at(-1) ?? '';
    await page.locator('[data-testid=part-node-a][data-state=dispatched]').waitFor();

    // The node: lease and verify the signed job, report running, upload log and output, report the end.
    const jobs = await leaseVerified(f.hub.url, f.a, { nowMs: f.clock.ms() });
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!.job;
    expect(job.body.payload as RunJobPayload).toMatchObject({
      runId,
      parameters: { threshold: 5, label: 'lung' },
      inputs: [`node-a:${dataset}`],
      tool: { digest: DIGEST },
    });
    expect(
      (
        await f.a.call(
          'POST',
          `/api/v1/bridge/runs/${runId}/status`,
          { state: 'running', startedAt: f.clock.ms() },
          { nowMs: f.clock.ms() },
        )
      ).status,
    ).toBe(204);
    await page.locator('[data-testid=part-node-a][data-state=running]').waitFor();

    const log = new TextEncoder().encode('loading 12 series\ncounted 12 series\n');
    const output = new TextEncoder().encode('{"series":12}');
    const files = [
      { kind: 'log', path: 'count-series_node-a.log', bytes: log.byteLength, sha256: sha(log) },
      { kind: 'output', path: 'result.json', bytes: output.byteLength, sha256: sha(output) },
    ];
    const granted = await f.a.call('POST', `/api/v1/bridge/runs/${runId}/uploads`, { files }, { nowMs: f.clock.ms() });
    expect(granted.status).toBe(200);
    for (const [u, body] of (granted.body as UploadGrant).uploads.map((u, i) => [u, i === 0 ? log : output] as const)) {
      expect((await fetch(u.url, { method: 'PUT', body: Buffer.from(body) })).status).toBe(204);
    }
    const outcome = {
      runId,
      nodeId: 'node-a',
      state: 'completed',
      exitCode: 0,
      startedAt: f.clock.ms() - 500,
      finishedAt: f.clock.ms(),
      inputFiles: 12,
      logs: { stdoutBytes: log.byteLength, stderrBytes: 0, keptBytes: log.byteLength, truncated: false },
      outputs: { accepted: [{ path: 'result.json', bytes: output.byteLength, sha256: sha(output) }], rejected: [] },
    };
    expect(
      (await f.a.call('POST', `/api/v1/bridge/runs/${runId}/status`, { state: 'ended', outcome }, { nowMs: f.clock.ms() })).status,
    ).toBe(204);

    await page.locator('[data-testid=run-state][data-state=completed]').waitFor();
    await page.locator('[data-testid=part-node-a][data-state=completed]').waitFor();
    expect(await page.getByTestId('run-parameters').textContent()).toContain('threshold');
    await page.getByTestId('show-log-node-a').click();
    await page.getByTestId('log-node-a').getByText('counted 12 series').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-node-a-result.json').click()]);
    expect(download.suggestedFilename()).toBe('result.json');
    expect(await readFile((await download.path()) as string, 'utf8')).toBe('{"series":12}');

    await page.goto(`${f.hub.url}/workspace`);
    await page.getByTestId(`run-${runId}`).getByText('completed').first().waitFor();
    await page.close();
  });

  it('lets an admin approve a tool with the form and a node admin allow it on their node', async () => {
    let page = await logIn('admin', '/tools');
    await page.getByTestId('tool-id').fill('radiomics');
    await page.getByTestId('tool-version').fill('0.9');
    await page.getByTestId('tool-digest').fill(`sha256:${'cd'.repeat(32)}`);
    await page.getByTestId('tool-description').fill('Extracts radiomic features');
    await page.getByTestId('tool-parameters').fill('[{"name":"bins","type":"integer","min":1,"max":256}]');
    await page.getByTestId('tool-allow').fill('features.csv');
    await page.getByTestId('tool-submit').click();
    await page.getByTestId('tool-approved').waitFor();
    await page.getByTestId('tool-radiomics-0.9').getByText('bins (integer, ≥ 1, ≤ 256)').waitFor();
    // A bad digest is refused by the hub, which names the field.
    await page.getByTestId('tool-id').fill('broken');
    await page.getByTestId('tool-version').fill('1');
    await page.getByTestId('tool-digest').fill('latest');
    await page.getByTestId('tool-submit').click();
    expect(await page.getByTestId('error-details').textContent()).toContain('image.digest');
    await page.close();

    page = await logIn('dataholder', '/tools');
    await page.getByTestId('allow-radiomics-0.9-node-b').check();
    await page.getByTestId('tool-radiomics-0.9').getByTestId('allowed-on').getByText('node-b').waitFor();
    const { tools } = await (await (await f.hub.client('researcher')).api.v1.tools.$get()).json();
    expect(tools.find((t) => t.id === 'radiomics')?.nodes).toEqual(['node-b']);
    await page.close();
  });

  it('shows each node’s health on the network page, refreshed on demand', async () => {
    const page = await logIn('researcher', '/network');
    const row = page.getByTestId('node-node-a');
    await row.getByTestId('bridge-version').getByText('1.4.2').waitFor();
    expect(await row.getByTestId('status').textContent()).toBe('Online');
    expect(await page.getByTestId('node-node-b').getByTestId('status').textContent()).toBe('Offline');
    expect(await row.getByTestId('cpu-count').textContent()).toContain('8');
    expect(await row.getByTestId('gpu-count').textContent()).toContain('1');
    expect(await row.getByTestId('engine').textContent()).toContain('Podman Engine 4.3.1');
    expect(await row.getByTestId('tls').textContent()).toContain('42 days left');
    expect(await row.getByTestId('tools').textContent()).toContain('count-series ready');

    const newer = {
      ...healthReport([{ toolId: 'count-series', digest: DIGEST, ready: false }], f.clock.ms()),
      version: '1.5.0',
      memory: { totalBytes: 32 * 2 ** 30, availableBytes: 20 * 2 ** 30 },
    };
    expect((await f.a.call('POST', '/api/v1/bridge/health', newer, { nowMs: f.clock.ms() })).status).toBe(204);
    await page.getByTestId('network-refresh').click();
    await row.getByTestId('bridge-version').getByText('1.5.0').waitFor();
    expect(await row.getByTestId('memory-available').textContent()).toContain('20.00 GB');
    expect(await row.getByTestId('tools').textContent()).toContain('count-series not ready');
    await page.close();
  });
});
