import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type RunOutcome, runIdSchema, runOutcomeSchema } from '../../shared/processing/run.ts';

const recordSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running'), runId: runIdSchema, startedAt: z.number(), pid: z.number() }),
  z.object({ state: z.literal('finished'), runId: runIdSchema, outcome: runOutcomeSchema }),
]);
export type RunRecord = z.infer<typeof recordSchema>;

/**
 * One file per run under STATE_DIR/runs. Claiming a run creates its file exclusively (O_EXCL), so
 * of two deliveries of the same job — at once, or across a restart — only one ever starts a
 * container; the other reads the record. A record still "running" when the bridge starts belongs to
 * a run the previous process never finished.
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

  async finish(outcome: RunOutcome): Promise<void> {
    const record: RunRecord = { state: 'finished', runId: outcome.runId, outcome: runOutcomeSchema.parse(outcome) };
    const temp = `${this.file(outcome.runId)}.tmp`;
    await writeFile(temp, JSON.stringify(record), { mode: 0o600 });
    await rename(temp, this.file(outcome.runId));
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
    const out: Extract<RunRecord, { state: 'running' }>[] = [];
    for (const name of await readdir(this.dir)) {
      const runId = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!runIdSchema.safeParse(runId).success) continue;
      const record = await this.read(runId, 0);
      if (record.state === 'running') out.push(record);
    }
    return out;
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
