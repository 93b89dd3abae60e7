import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import { generateDemo } from '../../bridge/demo/generate.ts';
import { indexDataDir } from '../../bridge/index/indexer.ts';
import { type Db, openIndexDb } from '../../bridge/index/schema.ts';
import { silentLogger } from '../../bridge/logger.ts';
import { DockerEngine } from '../../bridge/processing/engine.ts';
import { type RunExecutorDeps, RunExecutor } from '../../bridge/processing/executor.ts';
import { signedGrantCheck } from '../../bridge/processing/grant-check.ts';
import { RunStateStore } from '../../bridge/processing/run-state.ts';
import { FsOutputSink } from '../../bridge/processing/upload.ts';
import { Vocabulary } from '../../bridge/query/vocabulary.ts';
import { tempDir } from '../../bridge/test-support/temp-dir.ts';
import { newId } from '../../shared/ids.ts';
import { type AccessCondition, signGrant } from '../../shared/negotiation/grant.ts';
import type { PrivateJwk } from '../../shared/node-auth.ts';
import type { RunJobPayload } from '../../shared/processing/run.ts';
import { type ToolApproval, type ToolApprovalInput, toolApprovalSchema } from '../../shared/processing/tool.ts';
import { type PodmanService, startPodman } from '../support/podman.ts';
import { TOOLS, buildToolImage } from './images.ts';

export type ToolName = keyof typeof TOOLS;
const ISSUER = 'http://127.0.0.1:1';
const MiB = 1024 * 1024;

/** A node for the container tests: a private Podman, demo data indexed by the real indexer, grant keys. */
export interface ProcessingFixture {
  pm: PodmanService;
  engine: DockerEngine;
  nodeId: string;
  root: string;
  dataDir: string;
  stateDir: string;
  sandboxDir: string;
  uploadDir: string;
  db: Db;
  datasets: string[];
  indexedFiles(datasetId: string): number;
  image(tool: ToolName): string;
  approval(tool: ToolName, overrides?: Partial<ToolApprovalInput>): ToolApproval;
  grant(dataset: string, opts?: { user?: string; access?: AccessCondition; expiresInS?: number }): Promise<string>;
  payload(tool: ToolApproval, overrides?: Partial<RunJobPayload>): Promise<RunJobPayload>;
  executor(approvals: ToolApproval[], overrides?: Partial<RunExecutorDeps>): Promise<RunExecutor>;
  readUpload(runId: string, kind: 'output' | 'log', path: string): Promise<string>;
  listUploads(runId: string, kind: 'output' | 'log'): Promise<string[]>;
  close(): Promise<void>;
}

export const USER = 'researcher-sub-1';

export async function makeProcessingFixture(tools: ToolName[]): Promise<ProcessingFixture> {
  const pm = await startPodman();
  const dir = await tempDir('processing-');
  const root = dir.path;
  const dataDir = join(root, 'data');
  const sandboxDir = join(root, 'sandbox');
  await mkdir(sandboxDir);
  await generateDemo({ dataDir, seed: 'processing' });
  const db = openIndexDb(join(root, 'index.sqlite'));
  await indexDataDir(db, dataDir, new Vocabulary());
  const datasets = (db.prepare('SELECT id FROM q_datasets ORDER BY idx').all() as { id: string }[]).map((d) => d.id);
  const images = new Map(tools.map((t) => [t, buildToolImage(pm, TOOLS[t], `localhost/eucaim/${t}:1`)]));
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const grantKey = { ...(await exportJWK(privateKey)), kid: 'grant-1' } as PrivateJwk & { kid: string };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'grant-1', alg: 'EdDSA' } as JWK;
  const nodeId = 'node-proc';
  const fixture: ProcessingFixture = {
    pm,
    engine: new DockerEngine({ socketPath: pm.socketPath }),
    nodeId,
    root,
    dataDir,
    stateDir: join(root, 'state'),
    sandboxDir,
    uploadDir: join(root, 'uploads'),
    db,
    datasets,
    indexedFiles: (id) =>
      (
        db
          .prepare('SELECT count(*) AS n FROM files f JOIN q_datasets d ON d.folder = f.dataset WHERE d.id = ? AND f.reason IS NULL')
          .get(id) as { n: number }
      ).n,
    image: (t) => images.get(t) ?? '',
    approval: (t, overrides = {}) =>
      toolApprovalSchema.parse({
        id: t,
        version: '1',
        image: { reference: `localhost/eucaim/${t}:1`, digest: images.get(t) },
        parameters: [
          { name: 'label', type: 'string', maxLength: 40, pattern: '[a-z ;$()-]*', default: 'none' },
          { name: 'threshold', type: 'integer', min: 0, max: 10, required: true },
        ],
        inputs: { min: 1, max: 2 },
        outputs: { allow: ['result.json', 'params.json', 'metrics/*.txt', '*.json'], maxFileBytes: 100_000, maxTotalBytes: 1 * MiB },
        flavour: { cpus: 1, memoryBytes: 64 * MiB, pids: 64 },
        timeoutSeconds: 120,
        ...overrides,
      }),
    grant: (dataset, opts = {}) => {
      // An already expired grant was issued before it expired.
      const issuedMs = Date.now() + Math.min(0, (opts.expiresInS ?? 0) * 1000) - 60_000;
      return signGrant({
        claims: {
          sub: opts.user ?? USER,
          jti: newId('grt'),
          exp: Math.floor(Date.now() / 1000) + (opts.expiresInS ?? 3600),
          dataset,
          access: opts.access ?? 'REMOTE_PROCESSING',
          conditions: 'test',
          negotiation: newId('neg'),
        },
        issuer: ISSUER,
        privateJwk: grantKey,
        kid: 'grant-1',
        nowMs: issuedMs,
      });
    },
    payload: async (tool, overrides = {}) => ({
      // Run ids are the hub's; `run` is not an id prefix in shared/ids.ts yet, so one is made from a job id.
      runId: newId('job').replace(/^job_/, 'run_'),
      user: USER,
      tool: { id: tool.id, version: tool.version, digest: tool.image.digest },
      parameters: { threshold: 3 },
      inputs: [`${nodeId}:${datasets[0]}`],
      grants: [await fixture.grant(datasets[0] as string)],
      ...overrides,
    }),
    executor: async (approvals, overrides = {}) =>
      new RunExecutor({
        nodeId,
        db,
        dataDir,
        sandboxDir,
        engine: fixture.engine,
        store: await RunStateStore.open(fixture.stateDir),
        sink: new FsOutputSink(fixture.uploadDir),
        approvals: () => approvals,
        checkGrants: signedGrantCheck({ keys: { keys: [publicJwk] }, issuer: ISSUER }),
        gpuCount: async () => 0,
        logger: silentLogger,
        ...overrides,
      }),
    readUpload: (runId, kind, path) => readFile(join(root, 'uploads', runId, nodeId, kind, path), 'utf8'),
    listUploads: async (runId, kind) =>
      (
        (await readdir(join(root, 'uploads', runId, nodeId, kind), { recursive: true, withFileTypes: true }).catch(
          () => [],
        )) as import('node:fs').Dirent[]
      )
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(join(root, 'uploads', runId, nodeId, kind).length + 1))
        .sort(),
    close: async () => {
      db.close();
      await pm.stop();
      await dir.remove();
    },
  };
  return fixture;
}
