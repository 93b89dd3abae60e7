import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobQueue } from '../../functions/adapters/queue-postgres.sql.ts';
import { loadHubConfig } from '../../functions/config.ts';
import { runMaintenance } from '../../functions/maintenance.ts';
import { usedNodeTokens } from '../../functions/nodes/nodes.sql.ts';
import { silentLogger } from '../../functions/ports/logger.ts';
import { createNodeServices } from '../../functions/runtime/node-services.ts';
import { searchNodes, searches } from '../../functions/search/search.sql.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { tracerCheckpoints } from '../../functions/tracer/tracer.sql.ts';
import type { Services } from '../../functions/services.ts';
import { databaseKind, freshDatabase } from '../support/database.ts';

describe(`the periodic sweep (${databaseKind()})`, () => {
  let s: Services;
  let drop: () => Promise<void>;
  let dir: string;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sweep-'));
    const db = await freshDatabase();
    drop = db.drop;
    s = (await createNodeServices(loadHubConfig({ DATA_DIR: dir }), { database: db.handle, migrate: false, logger: silentLogger, clock }))
      .services;
  });
  afterAll(async () => {
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs due deadline tasks and forgets expired token ids and queued jobs, keeping live ones', async () => {
    const past = new Date(Date.now() - 120_000);
    const future = new Date(Date.now() + 120_000);
    await s.db.insert(searches).values({ id: 'srch_sweep', owner: 'researcher', query: { operand: 'OR', children: [] }, deadlineAt: past });
    await s.db.insert(searchNodes).values({ searchId: 'srch_sweep', nodeId: 'node-a', jobId: 'job_sweep' });
    await s.taskQueue.send({ type: 'search.deadline', searchId: 'srch_sweep' });
    await s.db.insert(usedNodeTokens).values([
      { jti: 'old-token-id-0000', nodeId: 'node-a', expiresAt: past },
      { jti: 'live-token-id-000', nodeId: 'node-a', expiresAt: future },
    ]);
    await s.db.insert(jobQueue).values([
      { jobId: 'job_old', nodeId: 'node-a', jws: 'x', visibleAt: past, expiresAt: past },
      { jobId: 'job_live', nodeId: 'node-a', jws: 'x', visibleAt: past, expiresAt: future },
    ]);

    expect(await runMaintenance(s)).toEqual({ tasksDone: 1, tasksFailed: 0, expiredJobsRemoved: 1 });
    expect((await s.db.select().from(searchNodes)).map((r) => r.status)).toEqual(['timed_out']);
    expect((await s.db.select().from(usedNodeTokens)).map((r) => r.jti)).toEqual(['live-token-id-000']);
    expect((await s.db.select().from(jobQueue)).map((r) => r.jobId)).toEqual(['job_live']);
    expect(await runMaintenance(s)).toEqual({ tasksDone: 0, tasksFailed: 0, expiredJobsRemoved: 0 });
  });

  it('publishes a signed tracer checkpoint when one is due by time', async () => {
    await recordTrace(s, { userId: 'admin', userAction: 'ACCESS_GRANTED', datasetIds: ['ds-1'] });
    await recordTrace(s, { userId: 'admin', userAction: 'ACCESS_REVOKED', datasetIds: ['ds-1'] });
    const before = await s.db.select().from(tracerCheckpoints);
    await runMaintenance(s);
    expect(await s.db.select().from(tracerCheckpoints)).toHaveLength(before.length);
    offset += 61_000; // past TRACER_CHECKPOINT_SECONDS
    await runMaintenance(s);
    const after = await s.db.select().from(tracerCheckpoints);
    expect(after).toHaveLength(before.length + 1);
    expect(Math.max(...after.map((c) => c.treeSize))).toBe(2);
  });
});
