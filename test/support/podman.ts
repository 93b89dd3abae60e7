import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private Podman for tests: its own containers.conf and storage.conf in a scratch folder (nothing
 * under /etc or /var/lib/containers is touched), `podman system service` serving the Docker Engine
 * API on a scratch unix socket, stopped by its PID. Nothing is ever pulled; images come from
 * `podman import` (see test/processing/images.ts).
 */
export interface PodmanService {
  socketPath: string;
  root: string;
  /** Environment for the podman CLI, pointing at this instance's configuration. */
  env: NodeJS.ProcessEnv;
  podman(args: string[], input?: Buffer): string;
  stop(): Promise<void>;
}

/** Why this machine cannot run the container suites, or undefined when it can. */
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

export async function startPodman(): Promise<PodmanService> {
  const root = await mkdtemp(join(tmpdir(), 'podman-test-'));
  await mkdir(join(root, 'storage'));
  await mkdir(join(root, 'run'));
  // crun fails on this host's hybrid cgroups; runc works. No netns default here: the bridge must
  // ask for NetworkMode none itself, and the tests check that it does.
  await writeFile(
    join(root, 'containers.conf'),
    '[engine]\nruntime="runc"\ncgroup_manager="cgroupfs"\nevents_logger="file"\n[containers]\ndefault_ulimits=["nofile=1024:1024","nproc=1024:1024"]\n',
  );
  await writeFile(join(root, 'storage.conf'), `[storage]\ndriver="vfs"\ngraphroot="${root}/storage"\nrunroot="${root}/run"\n`);
  const env = { ...process.env, CONTAINERS_CONF: join(root, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(root, 'storage.conf'), TMPDIR: root };
  const socketPath = join(root, 'podman.sock');
  // --time: if this test process dies without stopping it, the service still exits once idle.
  const child: ChildProcess = spawn('podman', ['system', 'service', '--time=300', `unix://${socketPath}`], { cwd: root, env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const podman = (args: string[], input?: Buffer) => execFileSync('podman', args, { cwd: root, env, input, timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim();
  const stop = async () => {
    try {
      podman(['rm', '--all', '--force']);
    } catch {}
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(root, { recursive: true, force: true });
  };
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await ping(socketPath)) return { socketPath, root, env, podman, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('podman system service did not answer /_ping');
}
