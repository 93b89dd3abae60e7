import Docker from 'dockerode';
import type { Flavour } from '../../shared/processing/tool.ts';
import { LogCapture } from './logs.ts';

export const RUN_LABEL = 'eu.eucaim.run';
export const NODE_LABEL = 'eu.eucaim.node';

export interface ContainerSpec {
  /** Deterministic per run, so a second create for the same run collides in the engine too. */
  name: string;
  /** The approved image id; never a tag. */
  image: string;
  user: string;
  env: string[];
  binds: { source: string; target: string; readOnly: boolean }[];
  flavour: Flavour;
  labels: Record<string, string>;
}

export interface ContainerResult {
  exitCode: number | null;
  /** Killed by us: the timeout or a cancellation. */
  timedOut: boolean;
  cancelled: boolean;
  /** Stopped by us because the bridge is stopping (SIGTERM, then SIGKILL after the grace). */
  stopped: boolean;
  logs: LogCapture;
}

export interface RunOptions {
  timeoutMs: number;
  logCapBytes: number;
  /** A cancellation: the container is killed at once. */
  signal?: AbortSignal;
  /** The bridge is stopping: the container gets SIGTERM, and SIGKILL after `stopGraceMs`. */
  stop?: AbortSignal;
  stopGraceMs?: number;
  onStarted?: () => void;
}

export type ImageStatus = 'ready' | 'image_missing' | 'digest_mismatch';

/** The container engine as the bridge needs it (Docker or Podman through the Docker Engine API). */
export interface ContainerEngine {
  imageStatus(digest: string, reference?: string): Promise<ImageStatus>;
  run(spec: ContainerSpec, opts: RunOptions): Promise<ContainerResult>;
  /**
   * Kills and removes every container of this node's part of a run (labels `RUN_LABEL=<runId>` and
   * `NODE_LABEL=<nodeId>`: several bridges may share one engine and one run); returns how many.
   */
  removeRun(runId: string, nodeId: string): Promise<number>;
  version(): Promise<{ name: string; version: string; apiVersion: string }>;
}

/**
 * The create body. Every line is a defence (see README.md); `User` sits at the top level because
 * Podman's compat API ignores it inside HostConfig and would run the tool as root.
 */
export function hardenedCreateBody(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const f = spec.flavour;
  const tmpfs = `rw,noexec,nosuid,nodev,size=${f.tmpBytes}`;
  return {
    name: spec.name,
    Image: spec.image,
    User: spec.user,
    Env: spec.env,
    Labels: spec.labels,
    WorkingDir: '/output',
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      Memory: f.memoryBytes,
      // Same as Memory: no swap to spill into.
      MemorySwap: f.memoryBytes,
      NanoCpus: Math.round(f.cpus * 1e9),
      PidsLimit: f.pids,
      // Podman adds unsized writable tmpfs on these even with a read-only root: size them all.
      Tmpfs: { '/tmp': tmpfs, '/var/tmp': tmpfs, '/run': tmpfs },
      ShmSize: Math.min(f.tmpBytes, 64 * 1024 * 1024),
      Binds: spec.binds.map((b) => `${b.source}:${b.target}:${b.readOnly ? 'ro' : 'rw'}`),
      DeviceRequests: f.gpus > 0 ? [{ Driver: 'nvidia', Count: f.gpus, Capabilities: [['gpu']] }] : [],
    },
  };
}

export class DockerEngine implements ContainerEngine {
  readonly docker: Docker;

  constructor(opts: { socketPath: string } | { docker: Docker }) {
    this.docker = 'docker' in opts ? opts.docker : new Docker({ socketPath: opts.socketPath });
  }

  async imageStatus(digest: string, reference?: string): Promise<ImageStatus> {
    const byDigest = await inspectImage(this.docker, digest);
    if (!byDigest || (byDigest.Id !== digest && !(byDigest.RepoDigests ?? []).some((d) => d.endsWith(`@${digest}`))))
      return 'image_missing';
    if (reference === undefined) return 'ready';
    // The tag operators pull by must still resolve to the approved image, or the node is not ready.
    const byTag = await inspectImage(this.docker, reference);
    return byTag?.Id === byDigest.Id ? 'ready' : 'digest_mismatch';
  }

  async run(spec: ContainerSpec, opts: RunOptions): Promise<ContainerResult> {
    const logs = new LogCapture(opts.logCapBytes);
    const container = await this.docker.createContainer(hardenedCreateBody(spec));
    let timedOut = false;
    let cancelled = false;
    let stopped = false;
    const kill = () => container.kill({ signal: 'SIGKILL' }).catch(() => {});
    const timer = setTimeout(() => {
      timedOut = true;
      void kill();
    }, opts.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      void kill();
    };
    const onStop = () => {
      stopped = true;
      // The engine sends the image's stop signal, then SIGKILL after `t` whole seconds.
      const t = Math.max(0, Math.ceil((opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS) / 1000));
      void container.stop({ t }).catch(kill);
    };
    try {
      await container.start();
      opts.onStarted?.();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      opts.stop?.addEventListener('abort', onStop, { once: true });
      if (opts.signal?.aborted) onAbort();
      else if (opts.stop?.aborted) onStop();
      const stream = (await container.logs({ follow: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
      const drained = new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => logs.push(chunk));
        stream.on('end', resolve);
        stream.on('error', () => resolve());
        stream.on('close', resolve);
      });
      // If SIGKILL does not end it (a wedged engine), give up rather than hold the run forever.
      const exit = await orGiveUp(
        container.wait() as Promise<{ StatusCode: number }>,
        opts.timeoutMs + ENGINE_GRACE_MS,
        'the container did not stop after SIGKILL',
      );
      // The log stream ends with the container; the grace only covers an engine that never closes it.
      await orGiveUp(drained, ENGINE_GRACE_MS, 'log stream still open').catch(() =>
        (stream as unknown as { destroy?: () => void }).destroy?.(),
      );
      return { exitCode: exit.StatusCode, timedOut, cancelled, stopped, logs };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      opts.stop?.removeEventListener('abort', onStop);
      await container.remove({ force: true }).catch(() => {});
    }
  }

  async removeRun(runId: string, nodeId: string): Promise<number> {
    const found = await this.docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`, `${NODE_LABEL}=${nodeId}`] } });
    for (const c of found)
      await this.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {});
    return found.length;
  }

  async version(): Promise<{ name: string; version: string; apiVersion: string }> {
    const v = await this.docker.version();
    const engine = (v.Components ?? []).find((c) => /engine/i.test(c.Name));
    return { name: engine?.Name ?? 'Docker Engine', version: engine?.Version ?? v.Version, apiVersion: v.ApiVersion };
  }
}

const ENGINE_GRACE_MS = 30_000;
/** How long a tool has to end on SIGTERM when the bridge stops, before SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 5_000;

function orGiveUp<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, giveUp]).finally(() => clearTimeout(timer));
}

async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}
