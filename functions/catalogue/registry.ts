// Registration by data holders and admins: register (draft), change, publish and withdraw. Each
// write is one transaction that keeps the previous version; the tracer records it after commit.
import { and, eq, notInArray } from 'drizzle-orm';
import { type DatasetMetadata, type DatasetRecord, datasetMetadataSchema } from '../../shared/catalogue/profile.ts';
import { upgradeMetadata } from '../../shared/catalogue/legacy.ts';
import type { DatasetUpdate, Registration } from '../../shared/catalogue/registration.ts';
import { sha3_256 } from '../../shared/catalogue/sha3.ts';
import { AppError, issuesToDetails } from '../../shared/errors.ts';
import { canonicalJson } from '../../shared/tracer/canonical-json.ts';
import { datasetRepresentatives } from '../identity/roles.sql.ts';
import { nodes } from '../nodes/nodes.sql.ts';
import type { Services } from '../services.ts';
import { recordTrace } from '../tracer/record-trace.ts';
import { type Actor, isNodeAdmin, mayEdit } from './access.ts';
import { catalogueSeries } from './catalogue.sql.ts';
import { type Db, toRecord } from './record.ts';
import { lockDataset, writeVersion } from './store.ts';

type Deps = Pick<Services, 'db' | 'clock' | 'tracer'>;

async function checkReferences(db: Db, metadata: DatasetMetadata, nodeId: string | null | undefined): Promise<void> {
  const faults: { path: string; message: string }[] = [];
  const [series] = await db.select({ id: catalogueSeries.id }).from(catalogueSeries).where(eq(catalogueSeries.id, metadata.seriesId));
  if (!series) faults.push({ path: 'metadata.seriesId', message: `no dataset series ${metadata.seriesId}` });
  if (nodeId) {
    const [node] = await db.select({ id: nodes.id }).from(nodes).where(eq(nodes.id, nodeId));
    if (!node) faults.push({ path: 'nodeId', message: `no node ${nodeId}` });
  }
  if (faults.length) throw new AppError('unprocessable', 'the dataset refers to what does not exist', faults);
}

async function setRepresentatives(tx: Db, datasetId: string, subjects: string[]): Promise<void> {
  const unique = [...new Set(subjects)];
  const others = unique.length ? notInArray(datasetRepresentatives.subject, unique) : undefined;
  await tx.delete(datasetRepresentatives).where(and(eq(datasetRepresentatives.datasetId, datasetId), others));
  if (unique.length)
    await tx
      .insert(datasetRepresentatives)
      .values(unique.map((subject) => ({ datasetId, subject })))
      .onConflictDoNothing();
}

/** A new draft. A proposed id already in use (by any dataset, in any state) is a conflict. */
export async function registerDataset(deps: Deps, actor: Actor, input: Registration): Promise<DatasetRecord> {
  if (!actor.admin && !(input.nodeId && (await isNodeAdmin(deps.db, actor.sub, input.nodeId)))) {
    throw new AppError(
      'forbidden',
      input.nodeId ? `you do not administer node ${input.nodeId}` : 'name the node (nodeId) whose datasets you administer',
    );
  }
  await checkReferences(deps.db, input.metadata, input.nodeId);
  const id = input.id ?? crypto.randomUUID();
  const at = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    if (await lockDataset(tx, id)) throw new AppError('conflict', `dataset identifier ${id} is already taken`);
    const saved = await writeVersion(
      tx,
      {
        id,
        state: 'draft',
        owner: actor.sub,
        nodeId: input.nodeId ?? null,
        sourceId: null,
        sourceIri: null,
        sourceIdentifier: null,
        sourceIssued: null,
        sourceModified: null,
        version: 1,
        metadata: input.metadata,
        issuedAt: at,
        modifiedAt: at,
        publishedAt: null,
        withdrawnAt: null,
        withdrawnReason: null,
      },
      'registered',
      actor.sub,
    );
    await setRepresentatives(tx, id, input.representatives ?? []);
    return saved;
  });
  // Without the node's own hashes the trace fixes what was registered: the metadata record itself.
  const recordHash = sha3_256(canonicalJson(input.metadata));
  await recordTrace(deps, {
    userId: actor.sub,
    userAction: 'CREATE_DATASET',
    datasetIds: [id],
    datasetHashes: input.datasetHashes ?? { algorithm: 'sha3-256', index: recordHash, contents: recordHash },
  });
  return toRecord(row);
}

type Change = { kind: 'update'; update: DatasetUpdate } | { kind: 'publish' } | { kind: 'withdraw'; reason: string };

/** Applies one change under the row lock, after the identifier, permission and state checks. */
export async function changeDataset(deps: Deps, actor: Actor, id: string, change: Change): Promise<DatasetRecord> {
  const row = await deps.db.transaction(async (tx) => {
    const current = await lockDataset(tx, id);
    // Someone else's draft does not exist for them.
    if (!current || (current.state === 'draft' && !(await mayEdit(tx, actor, current))))
      throw new AppError('not_found', `no dataset ${id}`);
    if (!(await mayEdit(tx, actor, current)))
      throw new AppError('forbidden', 'only the dataset owner, its node admins and platform admins change it');
    if (change.kind === 'update' && change.update.id !== undefined && change.update.id !== current.id) {
      throw new AppError('conflict', 'a dataset identifier can never change');
    }
    // A harvested dataset's content is its source's: its node's admins publish or withdraw it, nothing more.
    if (current.sourceId && change.kind === 'update')
      throw new AppError('conflict', `dataset ${id} is harvested from ${current.sourceId}: change it at its source`);
    if (current.state === 'withdrawn') throw new AppError('conflict', `dataset ${id} is withdrawn`);
    const at = deps.clock.now();
    const next = { ...current, version: current.version + 1, modifiedAt: at };
    if (change.kind === 'publish') {
      if (current.state === 'published') throw new AppError('conflict', `dataset ${id} is already published`);
      return writeVersion(tx, { ...next, state: 'published', publishedAt: at }, 'published', actor.sub);
    }
    if (change.kind === 'withdraw') {
      return writeVersion(tx, { ...next, state: 'withdrawn', withdrawnAt: at, withdrawnReason: change.reason }, 'withdrawn', actor.sub);
    }
    const merged = datasetMetadataSchema.safeParse(upgradeMetadata({ ...current.metadata, ...change.update.metadata }));
    if (!merged.success) {
      const faults = issuesToDetails(merged.error.issues).map((f) => ({ ...f, path: `metadata.${f.path}` }));
      throw new AppError('unprocessable', 'the changed dataset does not satisfy the profile', faults);
    }
    await checkReferences(tx, merged.data, null);
    if (change.update.representatives) await setRepresentatives(tx, id, change.update.representatives);
    return writeVersion(tx, { ...next, metadata: merged.data }, 'updated', actor.sub);
  });
  const details = change.kind === 'publish' ? 'PUBLISH' : change.kind === 'withdraw' ? 'WITHDRAW' : 'METADATA_UPDATED';
  await recordTrace(deps, { userId: actor.sub, userAction: 'UPDATE_DATASET', datasetIds: [id], details });
  return toRecord(row);
}
