import { UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult, VerifiedJob } from '../../shared/job-protocol.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { HandledJobStore } from '../../bridge/handled-jobs.ts';
import { HubClient } from '../../bridge/hub-client.ts';
import { HubJobSource } from '../../bridge/job-source.ts';
import { SafeJobError } from '../../bridge/job-handler.ts';
import { silentLogger } from '../../bridge/logger.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture } from '../../bridge/test-support/node-fixture.ts';
import { BridgeWorker } from '../../bridge/worker.ts';

const answer: CountResult = { collections: [], total: { studies_count: 7, subjects_count: 5 }, unsupported_keys: [] };
const newJobId = () => `job-${crypto.randomUUID()}`;

let hub: HubStub;
let node: NodeFixture;

/** A worker on the real hub client, job source and state store, with a spy in place of the evaluator. */
function runWorker(execute: (job: VerifiedJob) => Promise<CountResult> = async () => answer) {
  const executed: string[] = [];
  const controller = new AbortController();
  const hubClient = new HubClient({ hubUrl: hub.url, audience: hub.audience, nodeId: node.nodeId, privateJwk: node.privateJwk });
  const done = HandledJobStore.open(node.stateDir).then((store) =>
    new BridgeWorker({
      nodeId: node.nodeId,
      hub: hubClient,
      source: new HubJobSource(hubClient, { waitSeconds: 1 }),
      trust: { keys: [hub.jobKey.publicJwk], issuer: hub.issuer },
      store,
      logger: silentLogger,
      execute: (job) => {
        executed.push(job.jobId);
        return execute(job).then((result) => ({ status: 'answered' as const, result }));
      },
      heartbeat: () => ({ version: 'test', datasets: [] }),
      minPollIntervalMs: 20,
      backoff: { baseMs: 20, maxMs: 100 },
    }).run(controller.signal),
  );
  return {
    executed,
    stop: async () => {
      controller.abort();
      await done;
      // The stub answers a poll after a 50 ms wait and cannot always tell that its caller left; let a
      // poll this worker abandoned finish on an empty queue before the next test enqueues its job.
      await new Promise((r) => setTimeout(r, 150));
    },
  };
}

/** Queues a valid job behind the others; once it is answered, everything before it was handled. */
async function sentinel(): Promise<string> {
  const jobId = newJobId();
  hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
  await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
  return jobId;
}

beforeAll(async () => {
  node = await makeNodeFixture();
  hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
});
afterAll(async () => {
  await hub?.close();
  await node?.remove();
});

describe('a bridge refuses a job it cannot trust', () => {
  let worker: ReturnType<typeof runWorker>;
  beforeAll(() => {
    worker = runWorker();
  });
  afterAll(() => worker.stop());

  const otherKey = generateNodeKeyPair();
  describe.each<{ name: string; reason: string; make: (jobId: string) => Promise<string>; reportsJobId: boolean }>([
    {
      name: 'addressed to another node',
      reason: 'wrong_node',
      reportsJobId: true,
      make: (jobId) => hub.signJob({ jobId, nodeId: 'node-someone-else' }),
    },
    {
      name: 'expired',
      reason: 'expired',
      reportsJobId: true,
      make: (jobId) => hub.signJob({ jobId, nodeId: node.nodeId, nowMs: Date.now() - 600_000, ttlSeconds: 60 }),
    },
    {
      name: 'signed with a key the bridge does not trust',
      reason: 'bad_signature',
      reportsJobId: true,
      make: async (jobId) => hub.signJob({ jobId, nodeId: node.nodeId, privateJwk: (await otherKey).privateJwk }),
    },
    {
      name: 'unsigned (alg none)',
      reason: 'unsigned',
      reportsJobId: true,
      make: async (jobId) =>
        new UnsecuredJWT({ job: { kind: 'search.count', payload: { searchId: 's', query: { operand: 'OR', children: [] } } } })
          .setIssuer(hub.issuer)
          .setAudience(node.nodeId)
          .setSubject(node.nodeId)
          .setJti(jobId)
          .setIssuedAt()
          .setExpirationTime('2m')
          .encode(),
    },
    {
      name: 'from another issuer',
      reason: 'malformed',
      reportsJobId: true,
      make: (jobId) => hub.signJob({ jobId, nodeId: node.nodeId, issuer: 'https://impostor.example' }),
    },
    {
      name: 'with a body that is not a known job',
      reason: 'malformed',
      reportsJobId: true,
      make: (jobId) => hub.signJob({ jobId, nodeId: node.nodeId, body: { kind: 'shell.exec', payload: { cmd: 'id' } } as never }),
    },
    { name: 'not a token at all', reason: 'malformed', reportsJobId: false, make: async () => 'this.is-not-a.jws' },
  ])('when the job is $name', ({ reason, make, reportsJobId }) => {
    it(`does not run it, reports "${reason}" and carries on`, async () => {
      const jobId = newJobId();
      const reportsBefore = hub.reports.length;
      hub.enqueue(node.nodeId, await make(jobId));
      const next = await sentinel();
      const reports = hub.reports.slice(reportsBefore);
      expect(reports.map((r) => r.body.reason)).toEqual([reason]);
      expect(reports[0]?.body.jobId).toBe(reportsJobId ? jobId : undefined);
      expect(reports[0]?.nodeId).toBe(node.nodeId);
      expect(worker.executed).not.toContain(jobId);
      expect(worker.executed).toContain(next);
      expect(hub.results.filter((r) => r.jobId === jobId)).toEqual([]);
    });
  });
});

describe('a bridge handles each job id once', () => {
  afterEach(() => hub.failResults(0));

  it('refuses a replayed job even after a restart', async () => {
    const jobId = newJobId();
    const jws = await hub.signJob({ jobId, nodeId: node.nodeId });
    const first = runWorker();
    hub.enqueue(node.nodeId, jws);
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    await first.stop();
    expect(first.executed).toEqual([jobId]);

    const second = runWorker();
    const reportsBefore = hub.reports.length;
    hub.enqueue(node.nodeId, jws);
    await sentinel();
    await second.stop();
    expect(second.executed).not.toContain(jobId);
    expect(hub.reports.slice(reportsBefore).map((r) => [r.body.reason, r.body.jobId])).toEqual([['replayed', jobId]]);
    expect(hub.results.filter((r) => r.jobId === jobId).length).toBe(1);
  });

  it('re-sends, without re-running, a result that could not be delivered before a restart', async () => {
    const jobId = newJobId();
    const jws = await hub.signJob({ jobId, nodeId: node.nodeId });
    hub.failResults(1_000_000);
    const first = runWorker();
    hub.enqueue(node.nodeId, jws);
    await hub.waitFor(() => first.executed.includes(jobId));
    await new Promise((r) => setTimeout(r, 100));
    await first.stop();
    expect(hub.results.filter((r) => r.jobId === jobId)).toEqual([]);

    hub.failResults(0);
    const second = runWorker();
    hub.enqueue(node.nodeId, jws);
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    await second.stop();
    expect(second.executed).not.toContain(jobId);
    expect(hub.results.filter((r) => r.jobId === jobId).map((r) => r.body)).toEqual([
      { status: 'answered', receipt: expect.any(String), result: answer },
    ]);
  });

  it('retries posting a result through hub errors', async () => {
    const worker = runWorker();
    const jobId = newJobId();
    hub.failResults(3);
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    await worker.stop();
    expect(worker.executed).toEqual([jobId]);
    expect(hub.results.filter((r) => r.jobId === jobId).length).toBe(1);
  });
});

describe('a bridge whose evaluator fails', () => {
  it('posts an error result with a safe message and reports handler_failed', async () => {
    const worker = runWorker(async () => {
      throw new Error('ENOENT: /data/patient-4711/secret.dcm');
    });
    const jobId = newJobId();
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    await worker.stop();
    const posted = hub.results.find((r) => r.jobId === jobId)?.body;
    expect(posted).toMatchObject({ status: 'error', error: { code: 'handler_failed' } });
    expect(JSON.stringify(posted)).not.toMatch(/4711|secret|ENOENT|\n\s+at /);
    expect(hub.reports.filter((r) => r.body.jobId === jobId).map((r) => r.body.reason)).toEqual(['handler_failed']);
  });

  it('passes on the message of an error the bridge marked as safe', async () => {
    const worker = runWorker(async () => {
      throw new SafeJobError('index_unavailable', 'the imaging index is being rebuilt');
    });
    const jobId = newJobId();
    hub.enqueue(node.nodeId, await hub.signJob({ jobId, nodeId: node.nodeId }));
    await hub.waitFor(() => hub.results.some((r) => r.jobId === jobId));
    await worker.stop();
    expect(hub.results.find((r) => r.jobId === jobId)?.body).toMatchObject({
      status: 'error',
      error: { code: 'index_unavailable', message: 'the imaging index is being rebuilt' },
    });
  });
});
