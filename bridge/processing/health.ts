import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { type NodeHealth, nodeHealthSchema } from '../../shared/processing/health.ts';
import type { ToolApproval } from '../../shared/processing/tool.ts';
import { describeError } from '../logger.ts';
import type { ContainerEngine } from './engine.ts';
import { availableMemory, checkDataPath, checkSandboxPath, checkTls, detectGpus } from './probes.ts';

export interface HealthDeps {
  version: string;
  hubUrl: string;
  dataDir: string;
  sandboxDir: string;
  engine: ContainerEngine;
  approvals: () => readonly ToolApproval[];
  fetch?: typeof fetch;
  /** Extra trust anchor for the hub's certificate (a private CA). */
  hubCa?: string;
  nvidiaSmi?: string;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The health report the bridge sends every 30 s. Probes run side by side and each is bounded, so a
 * hung engine or an unreachable hub shows up as that field's error, not as a missing report.
 */
export async function collectNodeHealth(deps: HealthDeps): Promise<NodeHealth> {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 5000;
  const [hub, memoryAvailable, gpus, engine, data, sandbox, tools, tls] = await Promise.all([
    probeHub(deps, timeoutMs, now),
    availableMemory(freemem()),
    detectGpus(deps.nvidiaSmi, timeoutMs),
    deps.engine.version().then(
      (v) => ({ reachable: true, name: v.name.slice(0, 100), version: v.version.slice(0, 100), apiVersion: v.apiVersion.slice(0, 20) }),
      (err) => ({ reachable: false, error: describeError(err).slice(0, 500) }),
    ),
    checkDataPath(deps.dataDir),
    checkSandboxPath(deps.sandboxDir),
    toolReadiness(deps),
    checkTls(deps.hubUrl, { ca: deps.hubCa, timeoutMs, now }),
  ]);
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  return nodeHealthSchema.parse({
    version: deps.version,
    collectedAt: now(),
    hub,
    cpu: { count: Math.max(1, cpus().length), load1, load5, load15 },
    memory: { totalBytes: totalmem(), availableBytes: memoryAvailable },
    gpus,
    engine,
    paths: { data, sandbox },
    tools,
    tls,
  });
}

async function probeHub(deps: HealthDeps, timeoutMs: number, now: () => number): Promise<NodeHealth['hub']> {
  const started = now();
  try {
    const res = await (deps.fetch ?? fetch)(`${deps.hubUrl}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const ended = now();
    await res.body?.cancel();
    const date = Date.parse(res.headers.get('date') ?? '');
    // The Date header has whole seconds; compare it with the middle of the round trip.
    const skew = Number.isFinite(date) ? Math.round(((started + ended) / 2 - date) / 1000) : undefined;
    return {
      online: res.ok,
      responseMs: ended - started,
      ...(skew === undefined ? {} : { clockSkewSeconds: skew }),
      ...(res.ok ? {} : { error: `HTTP ${res.status}` }),
    };
  } catch (err) {
    return { online: false, error: describeError(err).slice(0, 500) };
  }
}

async function toolReadiness(deps: HealthDeps): Promise<NodeHealth['tools']> {
  return Promise.all(
    deps.approvals().map(async (tool) => {
      const row = { toolId: tool.id, digest: tool.image.digest };
      try {
        const status = await deps.engine.imageStatus(tool.image.digest, tool.image.reference);
        return {
          ...row,
          present: status !== 'image_missing',
          ready: status === 'ready',
          ...(status === 'ready' ? {} : { problem: status }),
        };
      } catch {
        return { ...row, present: false, ready: false, problem: 'engine_unreachable' as const };
      }
    }),
  );
}
