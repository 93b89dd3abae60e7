import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type RunJobPayload, type RunOutcome, runIdSchema, runJobPayloadSchema, runOutcomeSchema } from '../../shared/processing/run.ts';

const recordSchema = z.discriminatedUnion('state', [
  // Taken while the node ran its limit already: the job itself is kept, so it starts after a restart too.
  z.object({ state: z.literal('queued'), runId: runIdSchema, queuedAt: z.number(), payload: runJobPayloadSchema }),
  z.object({ state: z.literal('running'), runId: runIdSchema, startedAt: z.number(), pid: z.number() }),
  z.object({ state: z.literal('finished'), runId: runIdSchema, outcome: runOutcomeSchema }),
]);
export type RunRecord = z.infer<typeof recordSchema>;

export type QueuedRecord = Extract<RunRecord, { state: 'queued' }>;

/**
 * One file per run under STATE_DIR/runs. Claiming a run creates its file exclusively (O_EXCL), so
 * of two deliveries of the same job — at once, or across a restart — only one ever starts a
 * container; the other reads the record. A record still "running" when the bridge starts belongs to
 * a run the previous process never finished; one "queued" is a run taken but not started yet.
 */
export class RunStateStore {
  private constructor(private readonly dir: string) {}

  static async open(stateDir: string): Promise<RunStateStore> {
    const dir = join(stateDir, 'runs');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new RunStateStore(dir);
  }

  /** True when this call owns the run; otherwise the record that was there first. */
  async claim(runId: string, startedAt: number): Promise<{ claimed: true } | { claimed: false; record: RunRecord }> {
    const record: RunRecord = { state: 'running', runId: runIdSchema.parse(runId), startedAt, pid: process.pid };
    try {
      await writeFile(this.file(runId), JSON.stringify(record), { flag: 'wx', mode: 0o600 });
      return { claimed: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return { claimed: false, record: await this.read(runId, startedAt) };
    }
  }

  /** Claims a run to start later (O_EXCL, as `claim`), keeping its job so it survives a restart. */
  async enqueue(payload: RunJobPayload, queuedAt: number): Promise<{ claimed: true } | { claimed: false; record: RunRecord }> {
    const record: RunRecord = { state: 'queued', runId: payload.runId, queuedAt, payload: runJobPayloadSchema.parse(payload) };
    try {
      await writeFile(this.file(payload.runId), JSON.stringify(record), { flag: 'wx', mode: 0o600 });
      return { claimed: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return { claimed: false, record: await this.read(payload.runId, queuedAt) };
    }
  }

  /**
   * Moves a queued run to "running". Only the process holding the run in its queue calls it; a
   * record in any other state (cancelled meanwhile, say) is answered as found.
   */
  async start(runId: string, startedAt: number): Promise<{ claimed: true } | { claimed: false; record: RunRecord }> {
    const record = await this.read(runId, startedAt);
    if (record.state !== 'queued') return { claimed: false, record };
    await this.replace({ state: 'running', runId: record.runId, startedAt, pid: process.pid });
    return { claimed: true };
  }

  async finish(outcome: RunOutcome): Promise<void> {
    await this.replace({ state: 'finished', runId: outcome.runId, outcome: runOutcomeSchema.parse(outcome) });
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    try {
      return await this.read(runId, 0);
    } catch {
      return undefined;
    }
  }

  /** Runs left "running" by an earlier process. */
  async unfinished(): Promise<Extract<RunRecord, { state: 'running' }>[]> {
    return (await this.all()).filter((r): r is Extract<RunRecord, { state: 'running' }> => r.state === 'running');
  }

  /** Runs taken but not started, oldest first: the order they start in. */
  async queued(): Promise<QueuedRecord[]> {
    const queued = (await this.all()).filter((r): r is QueuedRecord => r.state === 'queued');
    return queued.sort((a, b) => a.queuedAt - b.queuedAt || a.runId.localeCompare(b.runId));
  }

  private async all(): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    for (const name of await readdir(this.dir)) {
      const runId = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (runIdSchema.safeParse(runId).success) out.push(await this.read(runId, 0));
    }
    return out;
  }

  private async replace(record: RunRecord): Promise<void> {
    const temp = `${this.file(record.runId)}.tmp`;
    await writeFile(temp, JSON.stringify(record), { mode: 0o600 });
    await rename(temp, this.file(record.runId));
  }

  private async read(runId: string, fallbackStart: number): Promise<RunRecord> {
    const text = await readFile(this.file(runId), 'utf8');
    try {
      return recordSchema.parse(JSON.parse(text));
    } catch {
      // A claim torn by a crash between create and write: the run was started, never finished.
      return { state: 'running', runId, startedAt: fallbackStart, pid: 0 };
    }
  }

  private file(runId: string): string {
    return join(this.dir, `${runIdSchema.parse(runId)}.json`);
  }
}
