import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ProcessingFixture, makeProcessingFixture } from './fixture.ts';

let fx: ProcessingFixture;
beforeAll(async () => {
  fx = await makeProcessingFixture(['count', 'probe']);
});
afterAll(async () => {
  await fx?.close();
});

/** An executor whose engine counts container creations, observed on the real Podman API. */
async function counted(approvals = [fx.approval('count')]) {
  const create = vi.spyOn(fx.engine.docker, 'createContainer');
  create.mockClear();
  return { executor: await fx.executor(approvals), creates: () => create.mock.calls.length };
}

describe('a run of an approved tool on granted data', () => {
  it('gives the tool exactly the indexed files of its dataset, its parameters, and brings back its result and log', async () => {
    const { executor, creates } = await counted();
    const payload = await fx.payload(fx.approval('count'), { parameters: { label: 'x; rm -rf $(pwd)', threshold: 3 } });
    const outcome = await executor.execute(payload);
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    expect(creates()).toBe(1);
    const expected = fx.indexedFiles(fx.datasets[0] as string);
    expect(expected).toBeGreaterThan(10);
    expect(outcome.inputFiles).toBe(expected);
    const result = JSON.parse(await fx.readUpload(payload.runId, 'output', 'result.json'));
    // The shell-looking value arrives as plain text: nothing evaluated it on the way.
    expect(result).toEqual({ files: expected, label: 'x; rm -rf $(pwd)', threshold: '3' });
    expect(JSON.parse(await fx.readUpload(payload.runId, 'output', 'params.json'))).toEqual({ label: 'x; rm -rf $(pwd)', threshold: 3 });
    expect(outcome.outputs.accepted.map((a) => a.path).sort()).toEqual(['params.json', 'result.json']);
    const log = await fx.readUpload(payload.runId, 'log', `count_${fx.nodeId}.log`);
    expect(log).toContain(`counted ${expected} files`);
    expect(log).toContain('a warning');
    expect(outcome.logs.stderrBytes).toBe('a warning\n'.length);
  });

  it('wipes the sandbox when the run ends', async () => {
    const { executor } = await counted();
    const outcome = await executor.execute(await fx.payload(fx.approval('count')));
    expect(outcome.state).toBe('completed');
    expect(await readdir(fx.sandboxDir)).toEqual([]);
  });

  it('materialises in the eucaimdir layout, and a subject URI selects only that subject', async () => {
    const row = fx.db
      .prepare(
        "SELECT patient_id AS p, count(*) AS n FROM files WHERE dataset = 'collection-1' AND reason IS NULL GROUP BY patient_id LIMIT 1",
      )
      .get() as { p: string; n: number };
    const { executor } = await counted();
    const payload = await fx.payload(fx.approval('count'), { inputs: [`${fx.nodeId}:${fx.datasets[0]}/${row.p}`] });
    const outcome = await executor.execute(payload);
    expect(outcome.state, JSON.stringify(outcome)).toBe('completed');
    expect(outcome.inputFiles).toBe(row.n);
  });
});

describe('refusals before anything runs', () => {
  it.each([
    ['an unknown parameter', { parameters: { threshold: 3, command: 'sh' } }, 'parameters_invalid'],
    ['a wrongly typed parameter', { parameters: { threshold: '3' } }, 'parameters_invalid'],
    ['an out-of-bounds parameter', { parameters: { threshold: 11 } }, 'parameters_invalid'],
    ['a missing required parameter', { parameters: {} }, 'parameters_invalid'],
    ['a string outside its pattern', { parameters: { threshold: 1, label: 'ABC' } }, 'parameters_invalid'],
    ['an input on another node', { inputs: ['node-other:collection'] }, 'inputs_invalid'],
    ['a dataset this node does not hold', { inputs: ['node-proc:no-such-dataset'], grantFor: 'no-such-dataset' }, 'inputs_invalid'],
    ['a path that climbs out', { inputs: ['node-proc:x/../..'] }, 'inputs_invalid'],
    ['no grant at all', { grants: [] }, 'grant_invalid'],
  ])('refuses %s and starts no container', async (_name, cases, code) => {
    const { executor, creates } = await counted();
    // Grants are checked before the index is asked, so an unknown dataset needs a grant to reach that check.
    const { grantFor, ...overrides } = cases as { grantFor?: string };
    const grants = grantFor ? { grants: [await fx.grant(grantFor)] } : {};
    const outcome = await executor.execute(await fx.payload(fx.approval('count'), { ...overrides, ...grants }));
    expect(outcome.state, JSON.stringify(outcome)).toBe('not_allowed');
    expect(outcome.reason?.code).toBe(code);
    expect(creates()).toBe(0);
  });

  it.each([
    ['someone else', { user: 'someone-else' }],
    ['an expired grant', { expiresInS: -60 }],
    ['a download-only grant', { access: 'DOWNLOAD' as const }],
  ])('refuses a grant for %s', async (_name, opts) => {
    const { executor, creates } = await counted();
    const grant = await fx.grant(fx.datasets[0] as string, opts);
    const outcome = await executor.execute(await fx.payload(fx.approval('count'), { grants: [grant] }));
    expect(outcome.reason?.code, JSON.stringify(outcome)).toBe('grant_invalid');
    expect(creates()).toBe(0);
  });

  it('refuses a grant for a different dataset than the one read', async () => {
    const { executor, creates } = await counted();
    const outcome = await executor.execute(await fx.payload(fx.approval('count'), { grants: [await fx.grant(fx.datasets[1] as string)] }));
    expect(outcome.reason?.code, JSON.stringify(outcome)).toBe('grant_invalid');
    expect(creates()).toBe(0);
  });

  it('refuses a tool the node has not approved, or approved with another digest', async () => {
    const { executor, creates } = await counted([fx.approval('count')]);
    const notApproved = await executor.execute(await fx.payload(fx.approval('probe')));
    const otherDigest = await executor.execute(await fx.payload({ ...fx.approval('count'), image: { digest: fx.image('probe') } }));
    expect([notApproved.reason?.code, otherDigest.reason?.code]).toEqual(['tool_not_approved', 'tool_not_approved']);
    expect(creates()).toBe(0);
  });

  it('does not run an image whose digest differs from the approved one, and says the tool is not ready', async () => {
    // The approved digest is the count tool's; the node's `count:1` tag now names other content.
    fx.pm.podman(['tag', fx.image('probe'), 'localhost/eucaim/count:1']);
    try {
      const { executor, creates } = await counted();
      const outcome = await executor.execute(await fx.payload(fx.approval('count')));
      expect(outcome.state, JSON.stringify(outcome)).toBe('not_allowed');
      expect(outcome.reason?.code).toBe('tool_not_ready');
      expect(creates()).toBe(0);
      // An approval pinning a digest the node does not have at all is refused the same way.
      const missing = fx.approval('count', { image: { digest: `sha256:${'ab'.repeat(32)}` } });
      const { executor: other } = await counted([missing]);
      const refused = await other.execute(await fx.payload(missing));
      expect(refused.reason?.code).toBe('tool_not_ready');
    } finally {
      fx.pm.podman(['tag', fx.image('count'), 'localhost/eucaim/count:1']);
    }
  });

  it('refuses a flavour asking for GPUs on a node without any, with the reason', async () => {
    const gpuTool = fx.approval('count', { flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024, gpus: 1 } });
    const create = vi.spyOn(fx.engine.docker, 'createContainer');
    create.mockClear();
    const executor = await fx.executor([gpuTool]);
    const outcome = await executor.execute(await fx.payload(gpuTool));
    expect(outcome.state).toBe('not_allowed');
    expect(outcome.reason).toEqual({ code: 'gpus_unavailable', message: 'the tool asks for 1 GPU(s); this node has 0' });
    expect(create).not.toHaveBeenCalled();
  });
});
