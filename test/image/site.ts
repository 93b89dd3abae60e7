import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync } from 'node:fs';
import { IMAGE_PODMAN_ROOT } from '../../bridge/image/build-image.ts';
import { type PodmanService, startPodman } from '../support/podman.ts';

/** The image's own user (distroless's nonroot), which owns the site folder, the key and the state. */
export const BRIDGE_UID = 65532;
/** The group the engine's socket is shared with, as a site gives the bridge a Docker socket (group docker). */
export const ENGINE_GID = 65533;

/**
 * The Podman the images were built in, serving the Docker API as a site's engine: the bridge's tools
 * run through its socket, handed to the bridge container by group (never world-writable).
 */
export async function startEngine(): Promise<PodmanService> {
  const pm = await startPodman({ root: IMAGE_PODMAN_ROOT, driver: 'overlay', idleSeconds: 900 });
  chownSync(pm.socketPath, 0, ENGINE_GID);
  chmodSync(pm.socketPath, 0o660);
  return pm;
}

/** Folders made for the bridge's user, as the guide has the site admin do (`install -d -o 65532`). */
export function ownedByBridge(...paths: string[]): void {
  for (const p of paths) execFileSync('chown', ['-R', `${BRIDGE_UID}:${BRIDGE_UID}`, p]);
}

/**
 * Runs `podman` and answers its exit code and output together. Never synchronously: the hub under
 * test runs in this process, and a container talking to it (init, doctor, a stop flushing reports)
 * would wait for an event loop that a blocking call holds.
 */
export function podmanResult(pm: PodmanService, args: string[], timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('podman', args, { cwd: pm.root, env: pm.env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** The same, failing on a non-zero exit; answers stdout and stderr together. */
export async function podmanOk(pm: PodmanService, args: string[], timeoutMs?: number): Promise<string> {
  const r = await podmanResult(pm, args, timeoutMs);
  if (r.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${r.code}:\n${r.out}`);
  return r.out.trim();
}

export async function waitFor<T>(what: () => Promise<T | undefined | false>, timeoutMs: number, label: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not in time: ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
