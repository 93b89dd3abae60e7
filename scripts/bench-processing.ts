// `npm run bench:processing`: materialising a big dataset (hard links against copies) and the
// start-to-finish overhead of a trivial tool through the hardened runner, on a private Podman.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndexDb } from '../bridge/index/schema.ts';
import { silentLogger } from '../bridge/logger.ts';
import { DockerEngine } from '../bridge/processing/engine.ts';
import { RunExecutor } from '../bridge/processing/executor.ts';
import { planInputs } from '../bridge/processing/layout.ts';
import { materialise } from '../bridge/processing/materialise.ts';
import { RunStateStore } from '../bridge/processing/run-state.ts';
import { FsOutputSink } from '../bridge/processing/upload.ts';
import { newId } from '../shared/ids.ts';
import { toolApprovalSchema } from '../shared/processing/tool.ts';
import { buildToolImage } from '../test/processing/images.ts';
import { startPodman } from '../test/support/podman.ts';

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const rows: string[] = [];
// CPU time of this process beside wall time: on a shared, loaded machine the wall time mostly
// measures the queue for a core, the CPU time what the step itself costs.
let lastCpuMs = 0;
const row = (what: string, n: number, values: number[], unit: string, cpuMs?: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  rows.push(
    `| ${what} | ${n} | ${at(0.5).toFixed(1)} | ${at(0.95).toFixed(1)} | ${(sorted.at(-1) ?? 0).toFixed(1)} | ${cpuMs === undefined ? '—' : cpuMs.toFixed(0)} | ${unit} |`,
  );
};
const time = async (work: () => unknown) => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return performance.now() - t;
};

const root = await mkdtemp(join(tmpdir(), 'bench-processing-'));
const pm = await startPodman();
try {
  // A dataset of FILES small files in 100 subjects x 10 series, recorded in the index as the indexer would.
  const dataDir = join(root, 'data');
  const db = openIndexDb(join(root, 'index.sqlite'));
  db.prepare(`INSERT INTO q_datasets (idx, folder, id, name) VALUES (0, 'big', 'big-ds', 'big')`).run();
  const add = db.prepare(
    `INSERT INTO files (path, dataset, size, mtime_ms, patient_id, study_uid, series_uid, modality) VALUES (?, 'big', 64, 0, ?, ?, ?, 'CT')`,
  );
  db.transaction(() => {
    for (let i = 0; i < FILES; i++) {
      const patient = `P${i % 100}`;
      const series = `1.2.${Math.floor(i / 100) % 10}`;
      const dir = join(dataDir, 'big', patient, series);
      if (i < 1000) mkdirSync(dir, { recursive: true });
      const path = `big/${patient}/${series}/${i}.dcm`;
      writeFileSync(join(dataDir, path), 'x'.repeat(64));
      add.run(path, patient, '1.2', series);
    }
  })();
  const uri = { nodeId: 'bench', dataset: 'big-ds', path: [] };
  const planned = performance.now();
  const planCpu = process.cpuUsage();
  const plan = planInputs(db, [uri]);
  const planUsed = process.cpuUsage(planCpu);
  row(`plan ${FILES} files from the index`, 1, [performance.now() - planned], 'ms', (planUsed.user + planUsed.system) / 1000);
  if (!plan.ok) throw new Error(plan.problem);
  const files = plan.files;
  for (const copy of [false, true]) {
    const input = join(root, `input-${copy ? 'copy' : 'link'}`);
    let summary = { linked: 0, copied: 0, skipped: 0 };
    const ms = await time(async () => (summary = await materialise(dataDir, input, files, { copy })));
    if (summary.linked + summary.copied !== FILES) throw new Error(`materialised ${JSON.stringify(summary)}`);
    row(`materialise ${FILES} files, ${copy ? 'copies' : 'hard links'}`, 1, [ms], 'ms', lastCpuMs);
    const wipe = await time(() => rm(input, { recursive: true }));
    row(`wipe the ${copy ? 'copied' : 'linked'} sandbox`, 1, [wipe], 'ms', lastCpuMs);
  }

  // A trivial tool on a one-file dataset: everything but the tool's own work is overhead.
  const image = buildToolImage(pm, 'echo done > /output/result.json');
  const tool = toolApprovalSchema.parse({
    id: 'trivial',
    version: '1',
    image: { digest: image },
    parameters: [],
    inputs: {},
    outputs: { allow: ['result.json'], maxFileBytes: 1000, maxTotalBytes: 1000 },
    flavour: { cpus: 1, memoryBytes: 64 * 1024 * 1024 },
    timeoutSeconds: 60,
  });
  const small = openIndexDb(join(root, 'small.sqlite'));
  small.prepare(`INSERT INTO q_datasets (idx, folder, id, name) VALUES (0, 'big', 'one', 'one')`).run();
  small
    .prepare(
      `INSERT INTO files (path, dataset, size, mtime_ms, patient_id, study_uid, series_uid, modality) VALUES ('big/P0/1.2.0/0.dcm', 'big', 64, 0, 'P0', '1.2', '1.2.0', 'CT')`,
    )
    .run();
  mkdirSync(join(root, 'sandbox'));
  const engine = new DockerEngine({ socketPath: pm.socketPath });
  const executor = new RunExecutor({
    nodeId: 'bench',
    db: small,
    dataDir,
    sandboxDir: join(root, 'sandbox'),
    engine,
    store: await RunStateStore.open(join(root, 'state')),
    sink: new FsOutputSink(join(root, 'uploads')),
    approvals: () => [tool],
    checkGrants: async () => ({ ok: true }),
    gpuCount: async () => 0,
    logger: silentLogger,
  });
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const payload = {
      runId: newId('job').replace(/^job_/, 'run_'),
      user: 'bench',
      tool: { id: tool.id, version: tool.version, digest: image },
      parameters: {},
      inputs: ['bench:one'],
      grants: [],
    };
    let state = '';
    runs.push(await time(async () => (state = (await executor.execute(payload)).state)));
    if (state !== 'completed') throw new Error(`bench run ended ${state}`);
  }
  row('trivial tool, whole run (checks, sandbox, container, outputs, upload, wipe)', RUNS, runs, 'ms');
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const spec = { name: `bench-${i}-${Date.now()}`, image, user: '65534:65534', env: [], binds: [], flavour: tool.flavour, labels: {} };
    // Without the /output mount the tool's write fails: only the container's own life is timed.
    bare.push(await time(() => engine.run(spec, { timeoutMs: 60_000, logCapBytes: 1024 })));
  }
  row('hardened container alone: create, start, wait, logs, remove', RUNS, bare, 'ms');
  console.log(
    `\nbench:processing (${FILES} files, ${RUNS} runs)\n\n| measurement | n | p50 | p95 | max | CPU ms (this process) | unit |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}`,
  );
} finally {
  await pm.stop();
  await rm(root, { recursive: true, force: true });
}
