import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What the running bridge last knew, kept in STATE_DIR/status.json for `bridge status` and `bridge
 * healthcheck`: both run as separate processes (the image's HEALTHCHECK, an admin's shell) and only
 * read this file, so they cost no call to the hub and work on a read-only root.
 */
export const STATUS_FILE = 'status.json';

export const statusSchema = z.object({
  nodeId: z.string(),
  version: z.string(),
  protocol: z.number().int(),
  pid: z.number().int(),
  startedAt: z.number(),
  /** Refreshed by every heartbeat attempt: a stale file means the bridge is not running (or hangs). */
  updatedAt: z.number(),
  /** Set by an orderly stop. */
  stoppedAt: z.number().optional(),
  hub: z.object({
    /** The last heartbeat the hub took. */
    lastContactAt: z.number().optional(),
    lastError: z.string().optional(),
  }),
  jobs: z.object({ handled: z.number().int(), lastAt: z.number().optional() }),
  index: z
    .object({
      at: z.number(),
      datasets: z.number().int(),
      studies: z.number().int(),
      series: z.number().int(),
      files: z.number().int(),
      skipped: z.number().int(),
    })
    .optional(),
  heartbeatIntervalMs: z.number().int(),
});
export type BridgeStatus = z.infer<typeof statusSchema>;

export class StatusBoard {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly stateDir: string,
    private status: BridgeStatus,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): BridgeStatus {
    return this.status;
  }

  /** Records a change; written within half a second (heartbeats write at once). */
  update(change: (s: BridgeStatus) => BridgeStatus, immediately = false): Promise<void> {
    this.status = { ...change(this.status), updatedAt: this.now() };
    if (immediately) return this.flush();
    this.timer ??= setTimeout(() => void this.flush(), 500);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const text = `${JSON.stringify(this.status)}\n`;
    const file = join(this.stateDir, STATUS_FILE);
    // One write at a time, each whole (write beside, then rename): a reader never sees half a file.
    this.writing = this.writing.then(async () => {
      const temp = `${file}.tmp`;
      await writeFile(temp, text, { mode: 0o644 });
      await rename(temp, file);
    });
    return this.writing.catch(() => {});
  }
}

export async function readStatus(stateDir: string): Promise<BridgeStatus | undefined> {
  const text = await readFile(join(stateDir, STATUS_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = statusSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Healthy = running (the file refreshed within three heartbeat periods, at least 60 s) and in touch
 * with the hub (a heartbeat taken within that time). A bridge that cannot reach its hub is not
 * healthy: it answers no query, which is what an orchestrator's health check must see.
 */
export function assessHealth(status: BridgeStatus | undefined, now: number): { healthy: boolean; reason: string } {
  if (!status) return { healthy: false, reason: 'no status file: the bridge has not started here' };
  if (status.stoppedAt) return { healthy: false, reason: 'the bridge was stopped' };
  const window = Math.max(60_000, 3 * status.heartbeatIntervalMs);
  if (now - status.updatedAt > window)
    return { healthy: false, reason: `no sign of life for ${Math.round((now - status.updatedAt) / 1000)} s` };
  if (status.hub.lastContactAt === undefined || now - status.hub.lastContactAt > window)
    return {
      healthy: false,
      reason: `the hub has not taken a heartbeat for a while${status.hub.lastError ? ` (${status.hub.lastError})` : ''}`,
    };
  return { healthy: true, reason: 'online' };
}
