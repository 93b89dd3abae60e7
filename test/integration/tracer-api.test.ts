import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../functions/app.ts';
import { rowsOf } from '../../functions/db/client.ts';
import { isPublicApiRoute } from '../../functions/identity/public-routes.ts';
import { datasetRepresentatives } from '../../functions/identity/roles.sql.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { generateNodeKeyPair, signNodeRequest } from '../../shared/node-auth.ts';
import type { Checkpoint } from '../../shared/tracer/checkpoint.ts';
import type { TraceEntry } from '../../shared/tracer/entry.ts';
import { fromHex } from '../../shared/tracer/hex.ts';
import { nodeHash } from '../../shared/tracer/merkle.ts';
import { verifyConsistency, verifyInclusion } from '../../shared/tracer/merkle-verify.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { createDataset, getJson, registeredNode, useDatasets } from './tracer-support.ts';

type List = { traces: TraceEntry[]; consistent: boolean };
const T = '/tracer/api/v1';

describe(`tracer API (${databaseKind()})`, () => {
  let hub: TestHub;
  let node: Awaited<ReturnType<typeof registeredNode>>;
  const dsA = crypto.randomUUID();
  const dsB = crypto.randomUUID();
  const size = async () => (await getJson<List>(`${hub.url}${T}/traces?limit=5000`, await hub.token('admin'))).body.traces.length;

  beforeAll(async () => {
    hub = await startTestHub({ env: { TRACER_CHECKPOINT_EVERY: '1' } });
    node = await registeredNode(hub, 'node-a');
    await hub.services.db.insert(datasetRepresentatives).values({ datasetId: dsA, subject: 'representative' });
    await recordTrace(hub.services, createDataset(dsA));
    await recordTrace(hub.services, createDataset(dsB));
    await recordTrace(hub.services, useDatasets([dsA], 'researcher'));
    await recordTrace(hub.services, useDatasets([dsB], 'researcher'));
    await recordTrace(hub.services, { userId: 'representative', userAction: 'UPDATE_DATASET', datasetIds: [dsA], details: 'PUBLISH' });
    await recordTrace(hub.services, useDatasets([dsA, dsB], 'dataholder'));
  });
  afterAll(async () => hub?.stop());

  it('refuses every non-public tracer route to an anonymous caller', async () => {
    const routes = buildApp(hub.services).routes.filter((r) => r.path.startsWith('/tracer/') && r.method !== 'ALL');
    const guarded = routes.filter((r) => !isPublicApiRoute(r.method, r.path));
    expect([...new Set(guarded.map((r) => `${r.method} ${r.path}`))].sort()).toEqual(
      ['GET /tracer/api/v1/audit', 'GET /tracer/api/v1/traces', 'GET /tracer/api/v1/traces/:id', 'POST /tracer/api/v1/traces'].sort(),
    );
    for (const r of guarded) {
      const res = await fetch(hub.url + r.path.replace(/:(\w+)/g, crypto.randomUUID()), {
        method: r.method,
        body: r.method === 'GET' ? undefined : '{}',
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('takes a node-signed trace and records who submitted it', async () => {
    const res = await node.call('POST', `${T}/traces`, createDataset(crypto.randomUUID(), 'dataholder'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body?.submitter).toBe('node:node-a');
    expect(res.body?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses forged, unsigned, replayed and user-token submissions with 401 and writes nothing', async () => {
    const before = await size();
    const body = createDataset(crypto.randomUUID());
    const text = JSON.stringify(body);
    const stranger = await generateNodeKeyPair();
    const forged = await signNodeRequest({
      nodeId: 'node-a',
      privateJwk: stranger.privateJwk,
      audience: hub.url,
      method: 'POST',
      path: `${T}/traces`,
      body: text,
    });
    const replay = (await node.call('POST', `${T}/traces`, createDataset(crypto.randomUUID()))).token;
    const otherBody = await signNodeRequest({
      nodeId: 'node-a',
      privateJwk: node.privateJwk,
      audience: hub.url,
      method: 'POST',
      path: `${T}/traces`,
      body: '{}',
    });
    for (const authorization of [
      undefined,
      `Bearer ${forged}`,
      `Bearer ${replay}`,
      `Bearer ${otherBody}`,
      `Bearer ${await hub.token('admin')}`,
    ]) {
      const res = await fetch(`${hub.url}${T}/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: text,
      });
      expect(res.status, authorization?.slice(0, 30)).toBe(401);
    }
    expect(await size()).toBe(before + 1); // the one accepted call that produced the replayed token
  });

  it.each([
    ['an unknown action', { userId: 'u', userAction: 'DELETE_DATASET', datasetIds: ['x'] }, 'userAction'],
    ['a creation without hashes', { userId: 'u', userAction: 'CREATE_DATASET', datasetIds: ['x'] }, 'datasetHashes'],
    [
      'a hash that is not SHA3-256 hex',
      { ...createDataset('x'), datasetHashes: { algorithm: 'sha3-256', index: 'zz', contents: 'b'.repeat(64) } },
      'datasetHashes.index',
    ],
    ['an unexpected field', { ...createDataset('x'), seq: 0 }, '(root)'],
    ['no datasets', { userId: 'u', userAction: 'ACCESS_GRANTED', datasetIds: [] }, 'datasetIds'],
  ])('refuses %s with 400 and writes nothing', async (_name, body, path) => {
    const before = await size();
    const res = await node.call('POST', `${T}/traces`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    const details = ((res.body?.error ?? { details: [] }) as { details: { path: string }[] }).details.map((d) => d.path);
    expect(
      details.some((d) => d.startsWith(path)),
      JSON.stringify(details),
    ).toBe(true);
    expect(await size()).toBe(before);
  });

  it("answers a datasetId query with only that dataset's traces, in order", async () => {
    const { status, body } = await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsA}`, await hub.token('admin'));
    expect(status).toBe(200);
    expect(body.consistent).toBe(true);
    expect(body.traces.map((t) => t.userAction)).toEqual(['CREATE_DATASET', 'USE_DATASETS', 'UPDATE_DATASET', 'USE_DATASETS']);
    expect(body.traces.every((t) => t.datasetIds.includes(dsA))).toBe(true);
    const seqs = body.traces.map((t) => t.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const both = await getJson<List>(
      `${hub.url}${T}/traces?datasetId=${dsA}&datasetId=${dsB}&userAction=USE_DATASETS&skip=1&limit=2`,
      await hub.token('admin'),
    );
    expect(both.body.traces.map((t) => [t.userId, t.datasetIds.length])).toEqual([
      ['researcher', 1],
      ['dataholder', 2],
    ]);
  });

  it('pages by position with fromSeq, filters and visibility still applied, and refuses a bad one', async () => {
    const all = (await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsA}`, await hub.token('admin'))).body.traces;
    const from = all[2]!.seq;
    const page = await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsA}&fromSeq=${from}&limit=5`, await hub.token('admin'));
    expect(page.body.traces.map((t) => t.seq)).toEqual(all.slice(2).map((t) => t.seq));
    const own = await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsA}&fromSeq=0`, await hub.token('outsider'));
    expect(own.body.traces).toEqual([]);
    for (const bad of ['-1', 'x', '1.5']) {
      const res = await getJson(`${hub.url}${T}/traces?fromSeq=${bad}`, await hub.token('admin'));
      expect(res.status, bad).toBe(400);
    }
  });

  it.each([
    ['representative', 4, 'a representative reads all of their dataset'],
    ['admin', 4, 'an admin reads any dataset'],
    ['researcher', 1, 'another user reads only their own traces on it'],
    ['outsider', 0, 'a stranger reads nothing'],
  ])('%s: %i traces of dataset A (%s)', async (user, count) => {
    const { status, body } = await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsA}`, await hub.token(user));
    expect(status).toBe(200);
    expect(body.traces).toHaveLength(count);
    if (user === 'researcher') expect(body.traces[0]?.userId).toBe('researcher');
  });

  it('serves a trace with an inclusion proof to those who may read it, and the same 404 to others', async () => {
    const { body } = await getJson<List>(`${hub.url}${T}/traces?datasetId=${dsB}&userAction=CREATE_DATASET`, await hub.token('admin'));
    const id = body.traces[0]!.id;
    const other = await getJson(`${hub.url}${T}/traces/${id}`, await hub.token('representative'));
    expect(other.status).toBe(404);
    const res = await getJson<{
      entry: TraceEntry;
      inclusion: { leafIndex: number; treeSize: number; leafHash: string; proof: string[]; checkpoint: Checkpoint };
    }>(`${hub.url}${T}/traces/${id}`, await hub.token('admin'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { inclusion } = res.body;
    const root = fromHex(inclusion.checkpoint.rootHash);
    const proof = inclusion.proof.map(fromHex);
    expect(proof.length).toBeGreaterThan(0);
    expect(verifyInclusion(inclusion.leafIndex, inclusion.treeSize, fromHex(inclusion.leafHash), proof, root)).toBe(true);
    const altered = proof.map((p, i) => (i === proof.length - 1 ? nodeHash(p, p) : p));
    expect(verifyInclusion(inclusion.leafIndex, inclusion.treeSize, fromHex(inclusion.leafHash), altered, root)).toBe(false);
    expect(verifyInclusion(inclusion.leafIndex + 1, inclusion.treeSize, fromHex(inclusion.leafHash), proof, root)).toBe(false);
  });

  it('publishes checkpoints and consistency proofs to anyone, and they verify', async () => {
    const latest = await getJson<Checkpoint>(`${hub.url}${T}/checkpoints/latest`);
    expect(latest.status).toBe(200);
    const first = (await getJson<{ checkpoints: Checkpoint[] }>(`${hub.url}${T}/checkpoints?fromSize=3&limit=1`)).body.checkpoints[0]!;
    expect(first.treeSize).toBe(3);
    const { status, body } = await getJson<{ proof: string[] }>(`${hub.url}${T}/proofs/consistency?from=3&to=${latest.body.treeSize}`);
    expect(status).toBe(200);
    const proof = body.proof.map(fromHex);
    const [r1, r2] = [fromHex(first.rootHash), fromHex(latest.body.rootHash)];
    expect(verifyConsistency(3, latest.body.treeSize, r1, r2, proof)).toBe(true);
    expect(verifyConsistency(3, latest.body.treeSize, r1, r2, proof.slice(0, -1))).toBe(false);
    expect(verifyConsistency(3, latest.body.treeSize, r1, nodeHash(r2, r2), proof)).toBe(false);
    const bad = await getJson(`${hub.url}${T}/proofs/consistency?from=5&to=3`);
    expect(bad.status).toBe(400);
  });

  it('serves the datasetId filter from the GIN index and a keyset page from the primary key (EXPLAIN)', async () => {
    const { bulkLoad } = await import('../../functions/tracer/bulk-load.ts');
    const { freshDatabase } = await import('../support/database.ts');
    const { traceListQuery } = await import('../../functions/tracer/entry-rows.ts');
    const fresh = await freshDatabase();
    try {
      const datasets = Array.from({ length: 500 }, () => crypto.randomUUID());
      await bulkLoad(fresh.handle.db, { count: 20_000, make: (i) => useDatasets([datasets[i % 500]!], `user-${i % 97}`) });
      await fresh.handle.db.execute(sql`analyze tracer_entries`);
      const explain = async (q: Parameters<typeof traceListQuery>[1]) => {
        const query = traceListQuery(fresh.handle.db, q, { all: true }).toSQL();
        const plan = rowsOf<{ 'QUERY PLAN': unknown }>(
          await fresh.handle.db.execute(
            sql.raw(`explain (format json) ${query.sql.replace(/\$(\d+)/g, (_m, n) => literal(query.params[Number(n) - 1]))}`),
          ),
        );
        return JSON.stringify(plan);
      };
      const text = await explain({ datasetId: [datasets[7]!], skip: 0, limit: 100 });
      expect(text, text).toContain('tracer_entries_datasets');
      expect(text).not.toContain('"Seq Scan"');
      // The verifier's keyset page near the end of the log: one range of the primary key, nothing skipped.
      const page = await explain({ fromSeq: 19_000, skip: 0, limit: 500 });
      expect(page, page).toMatch(/"Index Cond":"\(seq >= /);
      expect(page).not.toContain('"Seq Scan"');
    } finally {
      await fresh.drop();
    }
  });
});

/** Inlines a parameter for EXPLAIN (the values here are ours: uuids, numbers and arrays of them). */
function literal(v: unknown): string {
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(',')}]::text[]`;
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
