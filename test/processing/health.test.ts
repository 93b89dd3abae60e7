import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_VERSION } from '../../bridge/version.ts';
import { collectNodeHealth, type HealthDeps } from '../../bridge/processing/health.ts';
import type { NodeHealth } from '../../shared/processing/health.ts';
import { type ProcessingFixture, makeProcessingFixture } from './fixture.ts';

let fx: ProcessingFixture;
let hub: Server;
let hubUrl: string;
const SKEW_S = 120;

beforeAll(async () => {
  fx = await makeProcessingFixture(['count', 'probe']);
  // A hub whose clock runs two minutes behind this node's.
  hub = createServer((req, res) => {
    res.writeHead(req.url === '/api/v1/health' ? 200 : 404, { date: new Date(Date.now() - SKEW_S * 1000).toUTCString() });
    res.end('{}');
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => hub?.close(r));
  await fx?.close();
});

function deps(overrides: Partial<HealthDeps> = {}): HealthDeps {
  const moved = fx.approval('probe');
  return {
    version: BRIDGE_VERSION,
    hubUrl,
    dataDir: fx.dataDir,
    sandboxDir: fx.sandboxDir,
    engine: fx.engine,
    approvals: () => [
      fx.approval('count'),
      { ...moved, id: 'stale-tag', image: { reference: 'localhost/eucaim/count:1', digest: moved.image.digest } },
      fx.approval('count', { id: 'missing', image: { digest: `sha256:${'cd'.repeat(32)}` } }),
    ],
    nvidiaSmi: join(fx.root, 'no-nvidia-smi-here'),
    ...overrides,
  };
}

describe('the node health report', () => {
  let report: NodeHealth;
  beforeAll(async () => {
    report = await collectNodeHealth(deps());
  });

  it('says the hub is reachable, how fast, and how far the clocks differ', () => {
    expect(report.hub.online).toBe(true);
    expect(report.hub.responseMs).toBeGreaterThanOrEqual(0);
    // The Date header has whole seconds: the skew is known to within one.
    expect(Math.abs((report.hub.clockSkewSeconds ?? 0) - SKEW_S)).toBeLessThanOrEqual(1);
  });

  it('names the container engine and its version', () => {
    expect(report.engine).toMatchObject({ reachable: true, name: 'Podman Engine' });
    expect(report.engine.version).toBe(execFileSync('podman', ['version', '--format', '{{.Client.Version}}']).toString().trim());
  });

  it('reports each approved tool ready only when the approved image is present and its tag agrees', () => {
    expect(report.tools.map((t) => [t.toolId, t.present, t.ready, t.problem])).toEqual([
      ['count', true, true, undefined],
      ['stale-tag', true, false, 'digest_mismatch'],
      ['missing', false, false, 'image_missing'],
    ]);
  });

  it('checks the data and sandbox paths, with free space', () => {
    expect(report.paths.data).toMatchObject({ exists: true, readOnly: false });
    expect(report.paths.sandbox).toMatchObject({ exists: true, writable: true });
    expect(report.paths.sandbox.freeBytes).toBeGreaterThan(0);
  });

  it('reports resources from this machine and no GPUs without nvidia-smi', async () => {
    expect(report.cpu.count).toBeGreaterThan(0);
    expect(report.memory.availableBytes).toBeLessThanOrEqual(report.memory.totalBytes);
    expect(report.gpus).toEqual({ count: 0, source: 'none', devices: [] });
    expect(report.tls).toEqual({ checked: false, https: false });
    expect(report.version).toBe(BRIDGE_VERSION);
  });

  it('reads GPUs from nvidia-smi when there is one', async () => {
    const smi = join(fx.root, 'nvidia-smi');
    await writeFile(smi, '#!/bin/sh\necho "NVIDIA A100-SXM4-40GB, 40960"\necho "NVIDIA A100-SXM4-40GB, 40960"\n');
    await chmod(smi, 0o755);
    const gpus = (await collectNodeHealth(deps({ nvidiaSmi: smi, approvals: () => [] }))).gpus;
    expect(gpus).toEqual({
      count: 2,
      source: 'nvidia-smi',
      devices: [0, 1].map(() => ({ model: 'NVIDIA A100-SXM4-40GB', memoryBytes: 40960 * 1024 * 1024 })),
    });
  });

  it('says when a path is missing or the hub is down', async () => {
    const down = await collectNodeHealth(deps({ dataDir: join(fx.root, 'nope'), hubUrl: 'http://127.0.0.1:1', approvals: () => [] }));
    expect(down.paths.data.exists).toBe(false);
    expect(down.hub.online).toBe(false);
  });
});

describe("the hub's TLS certificate", () => {
  it('reports the days left, and whether the chain is trusted', async () => {
    const key = join(fx.root, 'hub.key');
    const cert = join(fx.root, 'hub.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '30',
        '-subj',
        '/CN=hub.test',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => res.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const untrusted = (await collectNodeHealth(deps({ hubUrl: url, approvals: () => [] }))).tls;
      expect(untrusted).toMatchObject({ checked: true, https: true, authorized: false });
      expect(untrusted.daysLeft).toBeGreaterThan(29);
      expect(untrusted.daysLeft).toBeLessThanOrEqual(30);
      const trusted = (await collectNodeHealth(deps({ hubUrl: url, hubCa: await readFile(cert, 'utf8'), approvals: () => [] }))).tls;
      expect(trusted).toMatchObject({ checked: true, authorized: true });
      expect(trusted.error).toBeUndefined();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
