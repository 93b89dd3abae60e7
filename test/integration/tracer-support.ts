import { sql } from 'drizzle-orm';
import type { TraceInput } from '../../shared/tracer/actions.ts';
import type { TestHub } from '../support/hub.ts';
import { nodeClient } from '../support/node-client.ts';

export const hex = (c: string) => c.repeat(64);

/** A CREATE_DATASET trace as a node would submit it. */
export const createDataset = (datasetId: string, userId = 'dataholder'): TraceInput => ({
  userId,
  userAction: 'CREATE_DATASET',
  datasetIds: [datasetId],
  datasetHashes: { algorithm: 'sha3-256', index: hex('a'), contents: hex('b') },
});

export const useDatasets = (datasetIds: string[], userId: string): TraceInput => ({
  userId,
  userAction: 'USE_DATASETS',
  datasetIds,
  tool: { name: 'radiomics', version: '1.2.0' },
  runId: `run-${Math.random().toString(36).slice(2, 10)}`,
  nodeId: 'node-a',
});

/** A node registered at the hub by its admin, speaking with its real key. */
export async function registeredNode(hub: TestHub, id: string) {
  const node = await nodeClient(hub.url, id);
  const res = await (await hub.client('admin')).api.v1.nodes.$post({ json: { id, name: id, publicJwk: node.publicJwk, admins: [] } });
  if (res.status !== 201) throw new Error(`could not register ${id}: ${res.status}`);
  return node;
}

/** Runs SQL as the database superuser with the append-only triggers off, as an attacker with root would. */
export async function asSuperuser(hub: TestHub, statements: string[]) {
  const db = hub.services.db;
  const tables = ['tracer_entries', 'tracer_checkpoints', 'tracer_nodes'];
  for (const t of tables) await db.execute(sql.raw(`ALTER TABLE ${t} DISABLE TRIGGER USER`));
  try {
    for (const s of statements) await db.execute(sql.raw(s));
  } finally {
    for (const t of tables) await db.execute(sql.raw(`ALTER TABLE ${t} ENABLE TRIGGER USER`));
  }
}

export async function getJson<T = Record<string, unknown>>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
}
