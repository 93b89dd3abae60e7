import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private Podman: its own containers.conf and storage.conf in one folder (nothing under /etc or
 * /var/lib/containers is touched), `podman system service` serving the Docker Engine API on a unix
 * socket there, stopped by its PID. Nothing is ever pulled; images come from `podman import`
 * (buildToolImage). The container tests start a throw-away one; `npm start` keeps one under .data.
 */
export interface PodmanService {
  socketPath: string;
  root: string;
  /** Environment for the podman CLI, pointing at this instance's configuration. */
  env: NodeJS.ProcessEnv;
  podman(args: string[], input?: Buffer, timeoutMs?: number): string;
  stop(): Promise<void>;
}

/** Why this machine cannot run containers this way, or undefined when it can. */
export function podmanMissing(): string | undefined {
  for (const bin of ['/usr/bin/podman', '/usr/sbin/runc', '/bin/busybox']) {
    if (!existsSync(bin)) return `no ${bin} (apt-get install podman runc busybox-static)`;
  }
  return undefined;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export interface PodmanOptions {
  /** A folder to keep (storage and images survive a restart); default: a scratch folder removed at stop. */
  root?: string;
  /**
   * Storage driver: vfs (a full copy per layer; works on any file system) or overlay (fast, for the
   * bridge image's builds). One root always keeps the driver it was made with.
   */
  driver?: 'vfs' | 'overlay';
  /** The service exits after this long without API calls, should its parent die without stopping it. */
  idleSeconds?: number;
}

/** Writes the private configuration under `root` and answers the podman CLI bound to it (no service). */
export async function podmanAt(root: string, driver: 'vfs' | 'overlay' = 'vfs') {
  await mkdir(join(root, 'storage'), { recursive: true });
  await mkdir(join(root, 'run'), { recursive: true });
  // crun fails on hybrid cgroups; runc works. No netns default here: the bridge must ask for
  // NetworkMode none itself, and the tests check that it does.
  await writeFile(
    join(root, 'containers.conf'),
    '[engine]\nruntime="runc"\ncgroup_manager="cgroupfs"\nevents_logger="file"\n[containers]\ndefault_ulimits=["nofile=1024:1024","nproc=1024:1024"]\n',
  );
  await writeFile(join(root, 'storage.conf'), `[storage]\ndriver="${driver}"\ngraphroot="${root}/storage"\nrunroot="${root}/run"\n`);
  const env = {
    ...process.env,
    CONTAINERS_CONF: join(root, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'),
    TMPDIR: root,
  };
  const podman = (args: string[], input?: Buffer, timeoutMs = 60_000) =>
    execFileSync('podman', args, {
      cwd: root,
      env,
      input,
      timeout: timeoutMs,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
      .toString()
      .trim();
  return { root, env, podman };
}

export async function startPodman(opts: PodmanOptions = {}): Promise<PodmanService> {
  const keep = opts.root !== undefined;
  const root = opts.root ?? (await mkdtemp(join(tmpdir(), 'podman-test-')));
  const { env, podman } = await podmanAt(root, opts.driver);
  // A unix socket path is limited to ~107 bytes: a deep data folder gets its socket in /tmp.
  const socketDir = join(root, 'podman.sock').length < 100 ? root : await mkdtemp(join(tmpdir(), 'podman-sock-'));
  const socketPath = join(socketDir, 'podman.sock');
  await rm(socketPath, { force: true });
  // cwd: conmon drops a stray `oom` file in its working directory.
  const child: ChildProcess = spawn('podman', ['system', 'service', `--time=${opts.idleSeconds ?? 300}`, `unix://${socketPath}`], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    try {
      podman(['rm', '--all', '--force']);
    } catch {}
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    if (socketDir !== root) await rm(socketDir, { recursive: true, force: true });
    if (!keep) await rm(root, { recursive: true, force: true });
  };
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await ping(socketPath)) return { socketPath, root, env, podman, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('podman system service did not answer /_ping');
}

const FIXED_TIME = '2020-01-01 00:00:00Z';

/**
 * A tool image built offline: Debian's static busybox, `/bin/sh` linked to it, and the tool's shell
 * script as `/tool/run.sh`. The tar is reproducible (sorted, numeric owners, fixed times), so the
 * same script always gives the same image id, which is what an approval pins.
 */
export function buildToolImage(pm: PodmanService, script: string, tag?: string): string {
  const dir = mkdtempSync(join(pm.root, 'image-'));
  try {
    const rootfs = join(dir, 'rootfs');
    for (const d of ['bin', 'tool', 'input', 'output', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true, mode: 0o755 });
    // World-writable, as many real images have: only a read-only root keeps a tool from writing here.
    mkdirSync(join(rootfs, 'var/cache'), { recursive: true });
    chmodSync(join(rootfs, 'var/cache'), 0o1777);
    copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
    chmodSync(join(rootfs, 'bin/busybox'), 0o755);
    symlinkSync('busybox', join(rootfs, 'bin/sh'));
    writeFileSync(join(rootfs, 'tool/run.sh'), `${script.trim()}\n`, { mode: 0o755 });
    const tar = join(dir, 'image.tar');
    execFileSync('tar', [
      '--sort=name',
      '--numeric-owner',
      '--owner=0',
      '--group=0',
      `--mtime=${FIXED_TIME}`,
      '-C',
      rootfs,
      '-cf',
      tar,
      '.',
    ]);
    execFileSync('touch', ['-d', FIXED_TIME, tar]);
    const id = pm.podman(['import', '--change', 'CMD ["/bin/sh","/tool/run.sh"]', tar]).split('\n').pop() ?? '';
    if (!/^sha256:[0-9a-f]{64}$/.test(id)) throw new Error(`podman import printed ${id}`);
    if (tag) pm.podman(['tag', id, tag]);
    return id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
