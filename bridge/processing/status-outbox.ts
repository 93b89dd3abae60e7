import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type RunStatusReport, runStatusReportSchema } from '../../shared/processing/bridge-api.ts';
import { runIdSchema } from '../../shared/processing/run.ts';
import { Backoff, type BackoffOptions, sleep } from '../backoff.ts';
import { HubHttpError } from '../hub-client.ts';
import { type Logger, describeError } from '../logger.ts';

const entrySchema = z.object({ runId: runIdSchema, report: runStatusReportSchema });
export type OutboxEntry = z.infer<typeof entrySchema> & { file: string };

export interface StatusSender {
  postRunStatus(runId: string, body: RunStatusReport, signal?: AbortSignal): Promise<void>;
}

/**
 * Run status reports the hub has not accepted yet, one file each under STATE_DIR/run-reports,
 * delivered in the order they were made. A report leaves the outbox only when the hub took it (or
 * refused it for good), so a hub that is down, or a bridge restart, delays a final outcome but never
 * loses it — like handled-jobs.jsonl does for count results.
 */
export class StatusOutbox {
  private wake: () => void = () => {};
  private writing: Promise<void> = Promise.resolve();
  private emptied: (() => void)[] = [];

  private constructor(
    private readonly dir: string,
    private readonly entries: OutboxEntry[],
    private seq: number,
  ) {}

  static async open(stateDir: string): Promise<StatusOutbox> {
    const dir = join(stateDir, 'run-reports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const entries: OutboxEntry[] = [];
    let seq = 0;
    for (const file of (await readdir(dir)).filter((f) => /^\d{12}-.+\.json$/.test(f)).sort()) {
      seq = Math.max(seq, Number(file.slice(0, 12)));
      try {
        entries.push({ ...entrySchema.parse(JSON.parse(await readFile(join(dir, file), 'utf8'))), file });
      } catch {
        // Written through a temp file and a rename, so a torn file cannot be ours: drop it.
        await rm(join(dir, file), { force: true });
      }
    }
    return new StatusOutbox(dir, entries, seq);
  }

  /** Queues a report; writes are serial, so the outbox keeps the order of the calls. */
  add(runId: string, report: RunStatusReport): Promise<void> {
    const file = `${String(++this.seq).padStart(12, '0')}-${runIdSchema.parse(runId)}.json`;
    const entry: OutboxEntry = { runId, report: runStatusReportSchema.parse(report), file };
    const write = async () => {
      const temp = join(this.dir, `.${file}.tmp`);
      await writeFile(temp, JSON.stringify({ runId, report }), { mode: 0o600 });
      await rename(temp, join(this.dir, file));
      this.entries.push(entry);
      this.wake();
    };
    const done = this.writing.then(write, write);
    this.writing = done.catch(() => {});
    return done;
  }

  pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  /**
   * True once every report is delivered (by a running `deliver`), false after `timeoutMs`: an
   * orderly stop flushes what it can and leaves the rest on disk for the next start.
   */
  drained(timeoutMs: number): Promise<boolean> {
    return this.writing.then(
      () =>
        new Promise<boolean>((resolve) => {
          if (this.entries.length === 0) return resolve(true);
          const done = (empty: boolean) => {
            clearTimeout(timer);
            this.emptied = this.emptied.filter((f) => f !== onEmpty);
            resolve(empty);
          };
          const onEmpty = () => done(true);
          const timer = setTimeout(() => done(false), timeoutMs);
          this.emptied.push(onEmpty);
        }),
    );
  }

  /** Delivers until `signal` aborts; network trouble is waited out with backoff, never thrown. */
  async deliver(hub: StatusSender, logger: Logger, signal: AbortSignal, backoffOpts?: BackoffOptions): Promise<void> {
    const backoff = new Backoff(backoffOpts);
    while (!signal.aborted) {
      const next = this.entries[0];
      if (!next) {
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            this.wake = () => {};
            resolve();
          };
          this.wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
        continue;
      }
      try {
        await hub.postRunStatus(next.runId, next.report, signal);
        backoff.reset();
        logger.info('run status reported', { runId: next.runId, state: next.report.state });
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof HubHttpError && err.permanent)) {
          const waitMs = backoff.next();
          logger.warn('reporting a run status failed; retrying', {
            runId: next.runId,
            state: next.report.state,
            error: describeError(err),
            waitMs,
          });
          await sleep(waitMs, signal);
          continue;
        }
        // 404 (no part in that run) or 409 (another outcome already): sending it again cannot help.
        logger.error('the hub refused a run status; dropped', {
          runId: next.runId,
          state: next.report.state,
          status: err.status,
          code: err.code,
        });
      }
      this.entries.shift();
      await rm(join(this.dir, next.file), { force: true });
      if (this.entries.length === 0) for (const f of [...this.emptied]) f();
    }
  }
}
