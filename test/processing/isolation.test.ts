import { createHash } from 'node:crypto';
import { chmod, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../shared/processing/run.ts';
import { type ProcessingFixture, type ToolName, makeProcessingFixture } from './fixture.ts';

let fx: ProcessingFixture;
beforeAll(async () => {
  fx = await makeProcessingFixture(['probe', 'writer', 'forever', 'hog']);
});
afterAll(async () => {
  await fx?.close();
});

const MiB = 1024 * 1024;

async function run(
  tool: ToolName,
  overrides: Parameters<ProcessingFixture['approval']>[1] = {},
): Promise<{ outcome: RunOutcome; runId: string }> {
  const approval = fx.approval(tool, { outputs: { allow: ['*.json', '*.txt'], maxFileBytes: 100_000, maxTotalBytes: MiB }, ...overrides });
  const executor = await fx.executor([approval]);
  const payload = await fx.payload(approval);
  return { outcome: await executor.execute(payload), runId: payload.runId };
}

async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const path of entries) hash.update(path).update(await readFile(path));
  return hash.digest('hex');
}

describe('what a tool cannot do', () => {
  let probe: Record<string, string | number>;
  beforeAll(async () => {
    const { outcome, runId } = await run('probe', { flavour: { cpus: 0.5, memoryBytes: 48 * MiB, pids: 40, tmpBytes: 4 * MiB } });
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    probe = JSON.parse(await fx.readUpload(runId, 'output', 'probe.json'));
  });

  it('runs as a non-root user', () => {
    expect(probe.uid).toBe('65534');
  });

  it('holds no capabilities and cannot gain privileges', () => {
    expect(probe.capEff).toBe('0000000000000000');
    // A non-root process has no effective capabilities anyway; the bounding set shows they were dropped.
    expect(probe.capBnd).toBe('0000000000000000');
    expect(probe.noNewPrivs).toBe('1');
  });

  it('has no network: only the loopback interface and no route', () => {
    expect(probe.interfaces).toBe('lo ');
    expect(probe.routes).toBe(0);
  });

  it('gets the CPU, pids, memory and /tmp limits of its flavour', () => {
    // 0.5 CPU = 50 ms of CPU time per 100 ms period.
    expect(probe.cpuQuota).toBe('50000');
    expect(probe.pidsMax).toBe('40');
    expect(probe.memoryLimit).toBe(String(48 * MiB));
    expect(probe.tmpKb).toBe(String(4 * 1024));
  });

  it('cannot write outside its output folder: not the root, not its inputs, not its parameters', async () => {
    // Data files a sloppy copy left world-writable: only the read-only input mount protects them.
    const files = (await readdir(fx.dataDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    await Promise.all(files.map((f) => chmod(f, 0o666)));
    const before = await hashTree(fx.dataDir);
    const { outcome, runId } = await run('writer').finally(() => Promise.all(files.map((f) => chmod(f, 0o644))));
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    expect(JSON.parse(await fx.readUpload(runId, 'output', 'result.json'))).toEqual({ written: '' });
    // The inputs are hard links to the data: the data holder's files are untouched.
    expect(await hashTree(fx.dataDir)).toBe(before);
  });
});

describe('limits that end a run', () => {
  it('kills a tool that never ends at its timeout and reports timed_out', async () => {
    const { outcome } = await run('forever', { timeoutSeconds: 2 });
    expect(outcome.state, JSON.stringify(outcome)).toBe('timed_out');
    expect(outcome.reason?.code).toBe('timeout');
    expect(outcome.exitCode).toBe(137);
    expect(await readdir(fx.sandboxDir)).toEqual([]);
    expect(await fx.engine.docker.listContainers({ all: true })).toEqual([]);
  });

  it('stops a running tool when the run is cancelled', async () => {
    const approval = fx.approval('forever');
    const executor = await fx.executor([approval]);
    const payload = await fx.payload(approval);
    const cancel = new AbortController();
    const done = executor.execute(payload, cancel.signal);
    // Cancel once the container really runs (bounded wait), as a cancellation from the hub would.
    for (
      let i = 0;
      i < 600 && (await fx.engine.docker.listContainers({ filters: { label: [`eu.eucaim.run=${payload.runId}`] } })).length === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    cancel.abort();
    const outcome = await done;
    expect(outcome.state, JSON.stringify(outcome)).toBe('cancelled');
    expect(outcome.reason?.code).toBe('cancelled');
  });

  it('kills a tool that exceeds its memory and reports it', async () => {
    const { outcome, runId } = await run('hog', { flavour: { cpus: 1, memoryBytes: 32 * MiB, pids: 64 } });
    expect(outcome.state, JSON.stringify(outcome)).toBe('failed');
    expect(outcome.reason?.code).toBe('memory_limit');
    expect(await fx.listUploads(runId, 'output')).toEqual([]);
  });
});
