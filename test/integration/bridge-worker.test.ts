import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult, JobBody } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { loadBridgeConfig } from '../../bridge/config.ts';
import type { DemoPatient, DemoPlan, DemoStudy } from '../../bridge/demo/plan.ts';
import { startBridge } from '../../bridge/start.ts';
import { type HubStub, startHubStub } from '../../bridge/test-support/hub-stub.ts';
import { type NodeFixture, makeNodeFixture, memoryLogger, bridgeEnv } from '../../bridge/test-support/node-fixture.ts';
import { BRIDGE_VERSION } from '../../bridge/version.ts';

const MODALITY = 'RID10311';
const GENDER = 'SNOMEDCT263495000';
const BODY_PART = 'SNOMEDCT123037004';
const AGE = 'SNOMEDCT423493009';
const ER = 'CLIN1045815';
const leaf = (key: string, type: 'EQUALS' | 'IN' | 'BETWEEN', value: unknown) => ({ key, type, value }) as QueryNode;
const or = (...children: QueryNode[]): QueryNode => ({ operand: 'OR', children });
const and = (...children: QueryNode[]): QueryNode => ({ operand: 'AND', children });
const not = (child: QueryNode): QueryNode => ({ operand: 'NOT', children: [child] });

/** The expected answer, computed from the generator's plan with plain array code (not the bridge's SQL). */
function expected(plan: DemoPlan, match: (p: DemoPatient, s: DemoStudy) => boolean, folder?: string) {
  const hits = plan.patients
    .filter((p) => !folder || p.dataset === folder)
    .flatMap((p) => p.studies.filter((s) => match(p, s)).map(() => p.id));
  return { studies_count: hits.length, subjects_count: new Set(hits).size };
}
// Gender comes from the clinical row when there is one, else from DICOM PatientSex.
const sexOf = (p: DemoPatient) => (p.hasClinicalRow ? p.clinicalSex : p.sex);
const male = (p: DemoPatient) => sexOf(p) === 'M';
const female = (p: DemoPatient) => sexOf(p) === 'F';
const has = (s: DemoStudy, modality: string) => s.series.some((r) => r.modality === modality);

const cases: { name: string; query: QueryNode; match: (p: DemoPatient, s: DemoStudy) => boolean; unsupported?: string[] }[] = [
  { name: 'everything', query: or(), match: () => true },
  { name: 'MR', query: or(and(or(leaf(MODALITY, 'EQUALS', 'RID10312')))), match: (_, s) => has(s, 'MR') },
  {
    name: 'male with CT',
    query: and(leaf(GENDER, 'EQUALS', 'SNOMEDCT248153007'), leaf(MODALITY, 'EQUALS', 'RID10321')),
    match: (p, s) => male(p) && has(s, 'CT'),
  },
  { name: 'no PET', query: not(leaf(MODALITY, 'EQUALS', 'RID10337')), match: (_, s) => !has(s, 'PT') },
  { name: 'PET or SPECT', query: leaf(MODALITY, 'IN', ['RID10337', 'RID10334']), match: (_, s) => has(s, 'PT') || has(s, 'NM') },
  {
    name: 'female or prostate',
    query: or(leaf(GENDER, 'EQUALS', 'SNOMEDCT248152002'), leaf(BODY_PART, 'EQUALS', 'SNOMEDCT41216001')),
    match: (p, s) => female(p) || s.series.some((r) => ['PROSTATE', 'Prostata'].includes(r.bodyPart)),
  },
  {
    name: 'MR aged 40-70 (from the clinical rows)',
    query: and(leaf(MODALITY, 'EQUALS', 'RID10312'), leaf(AGE, 'BETWEEN', { min: 40, max: 70 })),
    match: (p, s) => has(s, 'MR') && p.hasClinicalRow && p.ageAtDiagnosis >= 40 && p.ageAtDiagnosis <= 70,
  },
  {
    name: 'ER status (no data here: unsupported)',
    query: and(leaf(MODALITY, 'EQUALS', 'RID10312'), leaf(ER, 'EQUALS', 'COM1001310')),
    match: () => false,
    unsupported: [ER],
  },
];

const countJob = (query: QueryNode): JobBody => ({ kind: 'search.count', payload: { searchId: `srch-${crypto.randomUUID()}`, query } });

describe('a bridge started against the hub', () => {
  let hub: HubStub;
  let node: NodeFixture;
  const logger = memoryLogger();
  let bridge: Awaited<ReturnType<typeof startBridge>>;

  beforeAll(async () => {
    node = await makeNodeFixture();
    hub = await startHubStub({ nodes: { [node.nodeId]: node.publicJwk } });
    // No HUB_JOB_KEYS: this bridge fetches them from the hub at start.
    const config = loadBridgeConfig({
      NODE_ID: node.nodeId,
      HUB_URL: hub.url,
      KEY_FILE: node.keyFile,
      DATA_DIR: node.dataDir,
      STATE_DIR: node.stateDir,
      OBFUSCATION: 'off',
    });
    bridge = await startBridge(config, { logger, heartbeatIntervalMs: 200, minPollIntervalMs: 20, longPollSeconds: 1 });
  });
  afterAll(async () => {
    await bridge?.stop();
    await hub?.close();
    await node?.remove();
  });

  it('warns that unpinned hub keys were fetched', () => {
    expect(logger.lines.some((l) => l.level === 'warn' && /pinning them in HUB_JOB_KEYS is recommended/.test(l.msg))).toBe(true);
  });

  it('answers every count query with what the generated data holds', async () => {
    const ids = cases.map(() => `job-${crypto.randomUUID()}`);
    for (const [i, c] of cases.entries())
      hub.enqueue(node.nodeId, await hub.signJob({ jobId: ids[i]!, nodeId: node.nodeId, body: countJob(c.query) }));
    await hub.waitFor(() => ids.every((id) => hub.results.some((r) => r.jobId === id)));
    for (const [i, c] of cases.entries()) {
      const posted = hub.results.filter((r) => r.jobId === ids[i]);
      expect(posted.length, c.name).toBe(1);
      const { nodeId, body } = posted[0]!;
      expect(nodeId).toBe(node.nodeId);
      expect(body.receipt).toMatch(/^rcpt-\d+$/);
      if (c.unsupported) {
        // Never counts that ignore part of the query.
        expect(body, c.name).toEqual({ status: 'unsupported', receipt: body.receipt, unsupported_keys: c.unsupported });
        continue;
      }
      expect(body.status, c.name).toBe('answered');
      const result = (body as { result: CountResult }).result;
      expect(result.total, c.name).toEqual(expected(node.plan, c.match));
      expect(
        result.collections.map((col) => ({ id: col.id, studies_count: col.studies_count, subjects_count: col.subjects_count })),
        c.name,
      ).toEqual(node.plan.datasets.map((d) => ({ id: d.id, ...expected(node.plan, c.match, d.folder) })));
      expect(result.obfuscation, c.name).toEqual({ applied: false });
    }
    // The filters must really filter on this data, or the comparison above proves little.
    const everything = expected(node.plan, () => true).studies_count;
    const mr = expected(node.plan, (_, s) => has(s, 'MR')).studies_count;
    expect(mr).toBeGreaterThan(0);
    expect(mr).toBeLessThan(everything);
  });

  it('sends heartbeats naming its version, datasets and capabilities', async () => {
    await hub.waitFor(() => hub.heartbeats.length >= 2);
    const beat = hub.heartbeats[0]!;
    expect(beat.nodeId).toBe(node.nodeId);
    expect(beat.body.version).toBe(BRIDGE_VERSION);
    expect(beat.body.datasets).toEqual(node.plan.datasets.map((d) => ({ id: d.id, name: d.name })));
    expect(beat.body.capabilities?.filters.map((f) => f.key).sort()).toEqual(
      [
        'C25392',
        'RID10311',
        'SNOMEDCT123037004',
        'SNOMEDCT263495000',
        'SNOMEDCT423493009',
        'SNOMEDCT432213005',
        'SNOMEDCT439401001',
      ].sort(),
    );
    expect(beat.body.capabilities?.filters.find((f) => f.key === 'RID10311')?.values).toEqual([
      'RID10312',
      'RID10337',
      'RID10334',
      'RID10321',
      'SNOMEDCT261665006',
    ]);
  });

  it('signs every call so that the hub accepts it', () => {
    expect(hub.authFailures).toEqual([]);
  });

  it('stops when asked', async () => {
    await bridge.stop();
    const beats = hub.heartbeats.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(hub.heartbeats.length).toBe(beats);
  });
});

describe('a bridge whose hub is down', () => {
  it('backs off within its bound, never crashes, and still stops cleanly', async () => {
    const node = await makeNodeFixture();
    // The address of a hub that has just gone away.
    const gone = await startHubStub({ nodes: {} });
    await gone.close();
    const logger = memoryLogger();
    const config = loadBridgeConfig({
      ...bridgeEnv(node, gone),
    });
    try {
      const bridge = await startBridge(config, { logger, backoff: { baseMs: 10, maxMs: 40 }, heartbeatIntervalMs: 50 });
      await new Promise((r) => setTimeout(r, 400));
      await bridge.stop();
      const retries = logger.lines.filter((l) => l.msg === 'job source unavailable; retrying');
      expect(retries.length).toBeGreaterThanOrEqual(3);
      expect(retries.map((r) => r.fields?.waitMs as number).every((ms) => ms >= 5 && ms <= 40)).toBe(true);
      expect(retries[0]?.fields?.error).toMatch(/ECONNREFUSED/);
      expect(logger.lines.filter((l) => l.msg === 'heartbeat failed').length).toBeGreaterThan(0);
      expect(logger.lines.at(-1)?.msg).toBe('bridge worker stopped');
    } finally {
      await node.remove();
    }
  });
});
