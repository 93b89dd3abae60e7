import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_PODMAN_ROOT, REPO, buildBridgeImage } from '../bridge/image/build-image.ts';
import { writeImage } from '../bridge/demo/dicom-writer.ts';
import { enrolNode } from '../bridge/keys.ts';
import { formatSettingsFile } from '../bridge/settings.ts';
import { startTestHub } from '../test/support/hub.ts';
import { startPodman } from './podman-service.ts';

/**
 * `npm run bench:bridge-image`: the bridge image as a site runs it (hardened, state in a volume) on a
 * corpus of BENCH_FILES (default 20,000) DICOM files: image size, time from container start to
 * online with an existing index, memory at rest and while indexing, and index throughput inside the
 * container next to the same bundle on the host. Prints markdown tables; a benchmark, not a test.
 */
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const RESTARTS = Number(process.env.BENCH_RUNS ?? 5);
const PIXEL_BYTES = 256 * 256 * 2;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim()),
    ),
  );
}

function corpus(dir: string): void {
  for (let i = 0; i < FILES; i++) {
    const p = Math.floor(i / 60);
    const folder = join(dir, 'bench', `P${p}`, `S${Math.floor((i % 60) / 20)}`);
    if (i % 20 === 0) mkdirSync(folder, { recursive: true });
    const path = join(folder, `${i}.dcm`);
    const bytes = writeImage({
      sopInstanceUid: `2.25.${1000000 + i}`,
      studyDate: '20200101',
      acquisitionDate: '20200101',
      modality: (['MR', 'CT', 'PT', 'NM'] as const)[p % 4] as 'MR',
      manufacturer: 'SIEMENS',
      patientId: `P${p}`,
      patientSex: p % 2 ? 'M' : 'F',
      patientAge: '060Y',
      bodyPart: 'PROSTATE',
      studyUid: `2.25.${p}.${Math.floor((i % 60) / 20)}`,
      seriesUid: `2.25.${p}.${Math.floor((i % 60) / 20)}.1`,
      size: 256,
    });
    // Sparse: the zero pixels cost no writes; readers still see full-size files.
    writeFileSync(path, bytes.subarray(0, bytes.length - PIXEL_BYTES));
    truncateSync(path, bytes.length);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function main() {
  const image = await buildBridgeImage({ log: () => {} });
  const pm = await startPodman({ root: IMAGE_PODMAN_ROOT, driver: 'overlay', idleSeconds: 900 });
  const podman = (args: string[]) => run('podman', args, pm.env);
  const work = mkdtempSync(join(tmpdir(), 'bench-image-'));
  const hub = await startTestHub();
  const name = `bench-bridge-${process.pid}`;
  const volume = `bench-state-${process.pid}`;
  try {
    const nodeSize = Number(
      await podman([
        'run',
        '--rm',
        '--entrypoint',
        '/usr/local/bin/node',
        image.tag,
        '-e',
        "process.stdout.write(String(require('fs').statSync('/usr/local/bin/node').size))",
      ]),
    );
    const baseSize = Number(await podman(['image', 'inspect', '--format', '{{.Size}}', image.bases.runtime]));
    const bundleBytes = readdirSync(join(REPO, 'dist/bridge/chunks'))
      .filter((f) => f.endsWith('.mjs'))
      .reduce((s, f) => s + statSync(join(REPO, 'dist/bridge/chunks', f)).size, statSync(join(REPO, 'dist/bridge/bridge.mjs')).size);

    // A site: data, key, settings; the node registered at the hub.
    const data = join(work, 'data');
    const config = join(work, 'config');
    mkdirSync(config);
    corpus(data);
    const nodeId = `node-bench-${process.pid}`;
    const { publicJwk } = await enrolNode({ nodeId, keyFile: join(config, 'node-key.json') });
    const keys = (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: unknown[] };
    writeFileSync(
      join(config, 'bridge.env'),
      formatSettingsFile(
        ['bench'],
        [
          ['NODE_ID', nodeId],
          ['HUB_URL', hub.url],
          ['HUB_JOB_KEYS', JSON.stringify(keys.keys)],
          ['REINDEX_INTERVAL_SECONDS', '0'],
        ],
      ),
    );
    chownSync(config, 65532, 65532);
    chownSync(join(config, 'node-key.json'), 65532, 65532);
    const admin = await hub.client('admin');
    await admin.api.v1.nodes.$post({ json: { id: nodeId, name: 'bench', publicJwk } });
    await podman(['volume', 'create', volume]);
    const mount = await podman(['volume', 'inspect', '--format', '{{.Mountpoint}}', volume]);
    const args = [
      '--name',
      name,
      '--network=host',
      '--read-only',
      '--read-only-tmpfs=false',
      '--tmpfs',
      '/tmp:size=256m',
      '--cap-drop=ALL',
    ];
    args.push('--security-opt=no-new-privileges', '-v', `${volume}:/state`, '-v', `${data}:/data:ro`, '-v', `${config}:/config:ro`);
    args.push('-v', `${join(config, 'node-key.json')}:/run/secrets/node-key:ro`, '-e', 'BRIDGE_CONFIG=/config/bridge.env');
    // To compare V8 settings without a rebuild (e.g. --max-semi-space-size).
    if (process.env.BENCH_NODE_OPTIONS) args.push('-e', `NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}`);

    /** Milliseconds from `t0` until the bridge's status file shows a heartbeat the hub took after `t0`. */
    const untilOnline = async (t0: number) => {
      for (;;) {
        try {
          const s = JSON.parse(readFileSync(join(mount, 'status.json'), 'utf8')) as { startedAt: number; hub: { lastContactAt?: number } };
          if (s.startedAt >= t0 - 1000 && (s.hub.lastContactAt ?? 0) >= t0) return s.hub.lastContactAt! - t0;
        } catch {}
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const memory = async () => {
      const status = await podman([
        'exec',
        name,
        '/usr/local/bin/node',
        '-e',
        "process.stdout.write(require('fs').readFileSync('/proc/1/status','utf8'))",
      ]);
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    };

    let t0 = Date.now();
    await podman(['run', '--detach', ...args, image.tag, 'start']);
    const firstMs = await untilOnline(t0);
    const indexing = await memory();
    await podman(['stop', '--time=40', name]);
    const restarts: number[] = [];
    const atRest: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      t0 = Date.now();
      await podman(['start', name]);
      restarts.push(await untilOnline(t0));
      await new Promise((r) => setTimeout(r, 5000));
      atRest.push((await memory()).rss);
      await podman(['stop', '--time=40', name]);
    }

    // The same bundle indexing the same files into a fresh database, in the container and on the host.
    const inside: number[] = [];
    const host: number[] = [];
    await podman(['start', name]);
    await untilOnline(Date.now() - 500);
    for (let i = 0; i < 3; i++) {
      let t = process.hrtime.bigint();
      await podman([
        'exec',
        name,
        '/usr/local/bin/node',
        '/app/bridge.mjs',
        'index',
        '--data',
        '/data',
        '--db',
        `/tmp/bench-${i}.sqlite`,
        '--json',
      ]);
      inside.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      await run(
        process.execPath,
        [join(REPO, 'dist/bridge/bridge.mjs'), 'index', '--data', data, '--db', join(work, `host-${i}.sqlite`), '--json'],
        {
          ...process.env,
          BRIDGE_SQLITE_ADDON: join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
        },
      );
      host.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await podman(['stop', '--time=40', name]);

    console.log(`\n### Bridge image (\`npm run bench:bridge-image\`, ${FILES} files, load ${loadavg()[0]?.toFixed(1)})\n`);
    console.log('| measurement | value | target |\n|---|---:|---|');
    console.log(`| image size | ${mb(image.sizeBytes)} MB | < 150 MB |`);
    console.log(
      `| … of which the Node runtime (node ${process.versions.node.split('.')[0] === '24' ? '' : '24, '}stripped) | ${mb(nodeSize)} MB | |`,
    );
    console.log(`| … the runtime base (glibc, libstdc++, libgcc) | ${mb(baseSize)} MB | |`);
    console.log(`| … the bridge bundle (JavaScript) | ${mb(bundleBytes)} MB | |`);
    console.log(`| first start to online, indexing ${FILES} files | ${(firstMs / 1000).toFixed(2)} s | |`);
    console.log(
      `| start to online with the existing index (median of ${RESTARTS}; min / max) | ${(median(restarts) / 1000).toFixed(2)} s (${(Math.min(...restarts) / 1000).toFixed(2)} / ${(Math.max(...restarts) / 1000).toFixed(2)}) | < 2 s |`,
    );
    console.log(`| memory at rest, RSS (median of ${RESTARTS}) | ${mb(median(atRest))} MB | < 120 MB |`);
    console.log(`| memory while indexing ${FILES} files, peak RSS | ${mb(indexing.peak)} MB | |`);
    const rate = (ms: number) => Math.round(FILES / (ms / 1000));
    console.log(
      `| index throughput in the container (Node 24; median of 3, the process's start included) | ${rate(median(inside))} files/s | |`,
    );
    console.log(`| index throughput on the host, same bundle (Node ${process.versions.node}) | ${rate(median(host))} files/s | |`);
    console.log(`| container / host | ${((median(host) / median(inside)) * 100).toFixed(0)} % | ≥ 90 % |`);
  } finally {
    await run('podman', ['rm', '--force', '--time=0', name], pm.env).catch(() => '');
    await run('podman', ['volume', 'rm', '--force', volume], pm.env).catch(() => '');
    await pm.stop();
    await hub.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
