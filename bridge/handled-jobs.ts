import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { jobResultSchema } from '../shared/job-protocol.ts';
import type { JobResult } from '../shared/job-protocol.ts';

const entrySchema = z.object({
  jobId: z.string(),
  expiresAt: z.number(),
  delivered: z.boolean(),
  result: jobResultSchema.optional(),
});
type Entry = z.infer<typeof entrySchema>;

// Kept a while past expiry in case the clock steps back; after that `verifyJob` refuses the job as
// expired anyway, so forgetting it cannot let a replay through.
const KEEP_AFTER_EXPIRY_MS = 5 * 60_000;
const COMPACT_EVERY = 500;

/**
 * The bridge's memory of jobs it handled, as JSON lines under STATE_DIR so it survives restarts:
 * a delivered job id is a replay if it comes again; an answered-but-undelivered one gets its stored
 * result re-sent instead of being run twice. Later lines override earlier ones for the same job.
 */
export class HandledJobStore {
  private appends = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
    private readonly now: () => number,
  ) {}

  static async open(stateDir: string, opts: { now?: () => number } = {}): Promise<HandledJobStore> {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const file = join(stateDir, 'handled-jobs.jsonl');
    const entries = new Map<string, Entry>();
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        // A line torn by a crash mid-write is skipped rather than failing the start.
        const entry = entrySchema.parse(JSON.parse(line));
        entries.set(entry.jobId, entry);
      } catch {}
    }
    const store = new HandledJobStore(file, entries, opts.now ?? Date.now);
    await store.prune();
    return store;
  }

  wasDelivered(jobId: string): boolean {
    return this.entries.get(jobId)?.delivered === true;
  }

  pendingResult(jobId: string): JobResult | undefined {
    const entry = this.entries.get(jobId);
    return entry && !entry.delivered ? entry.result : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  saveResult(jobId: string, expiresAt: number, result: JobResult): Promise<void> {
    const { receipt: _, ...stored } = result;
    return this.write({ jobId, expiresAt, delivered: false, result: stored as JobResult });
  }

  markDelivered(jobId: string, expiresAt: number): Promise<void> {
    return this.write({ jobId, expiresAt, delivered: true });
  }

  /** Forgets expired jobs and rewrites the file without them. */
  prune(): Promise<void> {
    return this.serial(async () => {
      const cutoff = this.now() - KEEP_AFTER_EXPIRY_MS;
      for (const [id, entry] of this.entries) if (entry.expiresAt < cutoff) this.entries.delete(id);
      const text = [...this.entries.values()].map((e) => `${JSON.stringify(e)}\n`).join('');
      const temp = `${this.file}.tmp`;
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, this.file);
      this.appends = 0;
    });
  }

  private async write(entry: Entry): Promise<void> {
    this.entries.set(entry.jobId, entry);
    await this.serial(() => appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 }));
    if (++this.appends >= COMPACT_EVERY) await this.prune();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}
