import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadGrant } from '../../shared/processing/bridge-api.ts';
import type { RunOutcome } from '../../shared/processing/run.ts';
import { databaseKind } from '../support/database.ts';
import { type Federation, processingFederation } from './processing-support.ts';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body: Buffer.from(body) });

describe(`result uploads and downloads (${databaseKind()})`, () => {
  let f: Federation;
  let runId: string;
  let dataset: string;
  const result = new TextEncoder().encode(JSON.stringify({ series: 42, note: 'x'.repeat(60) }));
  const log = new TextEncoder().encode('starting\ncounted 42 series\n');

  beforeAll(async () => {
    f = await processingFederation();
    await f.sendHealth(f.a);
    await f.sendHealth(f.b);
    const g = await f.grant('researcher');
    dataset = g.dataset;
    const res = await (await f.hub.client('researcher')).api.v1.runs.$post({
      json: { tool: { id: 'count-series', version: '1.0' }, parameters: { threshold: 1 }, inputs: [`node-a:${dataset}`] },
    });
    expect(res.status).toBe(201);
    runId = (await res.json()).id;
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
  });
  afterAll(async () => f?.stop());

  const ask = async (files: unknown[], n = f.a, run = runId) =>
    n.call('POST', `/api/v1/bridge/runs/${run}/uploads`, { files }, { nowMs: f.clock.ms() });
  const grantFor = async (kind: 'log' | 'output', path: string, body: Uint8Array) => {
    const res = await ask([{ kind, path, bytes: body.byteLength, sha256: sha(body) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as UploadGrant).uploads[0] as UploadGrant['uploads'][number];
  };
  const stored = async (key: string) => {
    const o = await f.hub.services.objectStore.get(key);
    return o ? new Uint8Array(await new Response(o.body).arrayBuffer()) : undefined;
  };
  const staged = () => f.hub.services.objectStore.list(`runs/${runId}/node-a/staging/`);

  it('grants a URL bound to size and hash, and keeps exactly the granted bytes', async () => {
    const target = await grantFor('output', 'result.json', result);
    expect(target).toMatchObject({
      kind: 'output',
      path: 'result.json',
      method: 'PUT',
      headers: { 'content-length': String(result.byteLength) },
    });
    expect(target.url.startsWith(`${f.hub.url}/api/v1/bridge/uploads/`)).toBe(true);
    expect((await put(target.url, result)).status).toBe(204);
    expect(await stored(`runs/${runId}/node-a/output/result.json`)).toEqual(result);
    const logTarget = await grantFor('log', 'count-series_node-a.log', log);
    expect((await put(logTarget.url, log)).status).toBe(204);

    // The same URL again, even with the right bytes: refused, and the stored copy is untouched.
    expect((await put(target.url, result)).status).toBe(403);
    expect(await stored(`runs/${runId}/node-a/output/result.json`)).toEqual(result);
  });

  it('streams a body above the API body limit (1 MiB) when its URL grants it', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 7).map((_, i) => i % 251);
    const target = await grantFor('log', 'big.log', big);
    expect((await put(target.url, big)).status).toBe(204);
    expect((await f.hub.services.objectStore.head(`runs/${runId}/node-a/log/big.log`))?.size).toBe(big.byteLength);
  });

  it.each([
    ['a body of another length', (b: Uint8Array) => b.slice(1)],
    ['a body with another hash', (b: Uint8Array) => b.map((x, i) => (i === 0 ? x ^ 1 : x))],
  ])('refuses %s and keeps nothing', async (_n, change) => {
    const body = new TextEncoder().encode('{"answer":42}');
    const target = await grantFor('output', 'other.json', body);
    const res = await put(target.url, change(body));
    expect(res.status).toBe(400);
    expect(await stored(`runs/${runId}/node-a/output/other.json`)).toBeUndefined();
    expect(await staged()).toEqual([]);
  });

  it('never lets a bad retry replace a good copy already stored', async () => {
    const target = await grantFor('output', 'result.json', result);
    const tampered = result.map((x, i) => (i === 2 ? x ^ 1 : x));
    expect((await put(target.url, tampered)).status).toBe(400);
    expect(await stored(`runs/${runId}/node-a/output/result.json`)).toEqual(result);
  });

  it('refuses an expired URL', async () => {
    const body = new TextEncoder().encode('{"late":true}');
    const target = await grantFor('output', 'late.json', body);
    f.clock.advance(16 * 60_000);
    expect((await put(target.url, body)).status).toBe(403);
    expect(await stored(`runs/${runId}/node-a/output/late.json`)).toBeUndefined();
    await f.sendHealth(f.a);
  });

  it('refuses an unknown token and a token that is not one', async () => {
    expect((await put(`${f.hub.url}/api/v1/bridge/uploads/${'A'.repeat(43)}`, result)).status).toBe(403);
    expect((await put(`${f.hub.url}/api/v1/bridge/uploads/..%2F..%2Fetc`, result)).status).toBeGreaterThanOrEqual(400);
  });

  it.each([
    ['a path leaving the folder', { kind: 'output', path: '../x.json' }, 400],
    ['a dot segment inside the path', { kind: 'output', path: 'plots/../../x.json' }, 400],
    ['an absolute path', { kind: 'output', path: '/etc/passwd' }, 400],
    ['a kind outside the contract', { kind: 'config', path: 'x.json' }, 400],
    ['a path outside the allow-list', { kind: 'output', path: 'secrets.txt' }, 422],
    ['a file above the tool’s size per file', { kind: 'output', path: 'big.json', bytes: 1001 }, 422],
  ])('refuses to grant %s', async (_n, file, code) => {
    const res = await ask([{ bytes: 10, sha256: sha('x'), ...file }]);
    expect(res.status, JSON.stringify(res.body)).toBe(code);
  });

  it("refuses outputs beyond the tool's total, counting each path once", async () => {
    const file = (path: string, bytes: number) => ({ kind: 'output', path, bytes, sha256: sha(path) });
    // result.json (~80 bytes) is stored; 700 + 800 more passes 1500. Refused and expired URLs hold nothing.
    expect((await ask([file('plots/a.png', 700), file('plots/b.png', 800)])).status).toBe(422);
    expect((await ask([file('plots/a.png', 700)])).status).toBe(200);
    // Asking again for the same path (a retry) does not count it twice.
    expect((await ask([file('plots/a.png', 700)])).status).toBe(200);
  });

  it('refuses uploads for runs and nodes that do not match', async () => {
    const file = { kind: 'output', path: 'result.json', bytes: 1, sha256: sha('x') };
    expect((await ask([file], f.b)).status).toBe(404);
    expect((await ask([file], f.a, 'run_00000000000000000000000000')).status).toBe(404);
  });

  it('serves outputs and the log to the owner only, and traces the download', async () => {
    const outcome: RunOutcome = {
      runId,
      nodeId: 'node-a',
      state: 'completed',
      exitCode: 0,
      startedAt: f.clock.ms() - 1000,
      finishedAt: f.clock.ms(),
      inputFiles: 1,
      logs: { stdoutBytes: log.byteLength, stderrBytes: 0, keptBytes: log.byteLength, truncated: false },
      outputs: {
        accepted: [{ path: 'result.json', bytes: result.byteLength, sha256: sha(result) }],
        rejected: [{ path: 'core', reason: 'not_allowed' }],
      },
    };
    expect(
      (await f.a.call('POST', `/api/v1/bridge/runs/${runId}/status`, { state: 'ended', outcome }, { nowMs: f.clock.ms() })).status,
    ).toBe(204);
    // Once ended, no more uploads.
    expect((await ask([{ kind: 'output', path: 'after.json', bytes: 1, sha256: sha('x') }])).status).toBe(409);

    const get = async (user: string, path: string) =>
      fetch(`${f.hub.url}/api/v1/runs/${runId}/nodes/node-a/${path}`, { headers: { authorization: `Bearer ${await f.hub.token(user)}` } });
    const res = await get('researcher', 'outputs/result.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="result.json"');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(result);
    const logRes = await get('researcher', 'log');
    expect(logRes.status).toBe(200);
    expect(await logRes.text()).toBe(new TextDecoder().decode(log));
    expect((await get('researcher', 'log?download=1')).headers.get('content-disposition')).toBe(
      'attachment; filename="count-series_node-a.log"',
    );

    expect((await get('representative', 'outputs/result.json')).status).toBe(404);
    expect((await get('representative', 'log')).status).toBe(404);
    expect((await get('outsider', 'outputs/result.json')).status).toBe(404);
    // Stored but not reported as an accepted output: not served.
    expect((await get('researcher', 'outputs/plots/a.png')).status).toBe(404);
    expect((await get('researcher', 'outputs/..%2F..%2Flog%2Fcount-series_node-a.log')).status).toBeGreaterThanOrEqual(400);

    const downloads = (await f.traces('researcher', 'DOWNLOAD_RESULT')).filter((t) => t.payload.runId === runId);
    expect(downloads.map((t) => [t.datasetIds, t.payload.resultId])).toEqual([[[dataset], 'node-a/result.json']]);
  });
});
