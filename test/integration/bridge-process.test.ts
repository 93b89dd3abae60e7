import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture, bridgeEnv } from '../../bridge/test-support/node-fixture.ts';

/** The bridge as the orchestrator and the container run it: a process configured by environment. */
describe('npm run bridge -- start, as a process', () => {
  let hub: HubStub;
  let node: NodeFixture;
  let child: ChildProcess | undefined;
  let stderr = '';

  beforeAll(async () => {
    node = await makeNodeFixture();
    hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await hub?.close();
    await node?.remove();
  });

  it('answers a job, heartbeats, and exits 0 on SIGTERM', async () => {
    const jobId = `job-${crypto.randomUUID()}`;
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
    child = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], {
      cwd: process.cwd(),
      // Only what a deployment sets, so nothing from the test runner's environment leaks in.
      env: {
        PATH: process.env.PATH,
        ...bridgeEnv(node, hub),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId) && hub.heartbeats.length > 0, 20_000);
    // Obfuscated by default: a multiple of 10, at least 10, and the answer says how.
    const body = hub.results.find((r) => r.jobId === jobId)?.body as { status: string; result: CountResult };
    expect(body?.status, stderr).toBe('answered');
    expect(body.result.total.studies_count % 10).toBe(0);
    expect(body.result.total.studies_count).toBeGreaterThanOrEqual(10);
    expect(body.result.obfuscation).toEqual({
      applied: true,
      method: 'laplace',
      epsilon: 0.28,
      sensitivity: 1,
      roundingStep: 10,
      smallCountThreshold: 10,
    });
    expect(body.result.collections.map((c) => c.id)).toEqual(node.plan.datasets.map((d) => d.id));
    expect(hub.heartbeats[0]?.nodeId).toBe(node.nodeId);

    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/SIGTERM received, stopping/);
    expect(stderr).toMatch(/"msg":"bridge worker stopped"/);
    // Logs are JSON lines and never carry the node's private key.
    expect(stderr).not.toContain(node.privateJwk.d);
  });
});
