import type { TraceEntry } from '../../shared/tracer/entry.ts';
import { type AppendDeps, type AppendState, appendBatch, type PendingTrace } from './append.ts';

/** Appends traces to the log; each call resolves with its own stored entry. */
export interface TraceAppender {
  append(item: PendingTrace): Promise<TraceEntry>;
}

/**
 * One transaction per trace. Correct across any number of hub instances (the advisory lock
 * serialises them) but every append pays a full commit while holding the lock.
 */
export function directAppender(deps: AppendDeps): TraceAppender {
  const state: AppendState = {};
  return { append: async (item) => (await appendBatch(deps, [item], state, { optimistic: false }))[0]! };
}

/**
 * Batches concurrent appends of this process into one transaction: while a batch commits, new
 * traces queue, and the next batch takes them all (up to `maxBatch`). The advisory lock still
 * serialises batches from other instances. Chosen by measurement (scripts/bench-tracer.ts): with
 * 16 writers it appends several times faster than one transaction per trace.
 */
export function batchingAppender(deps: AppendDeps, maxBatch = 500): TraceAppender {
  const queue: { item: PendingTrace; resolve(e: TraceEntry): void; reject(err: unknown): void }[] = [];
  let running = false;
  const state: AppendState = {};
  const drain = async () => {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          const entries = await appendBatch(
            deps,
            batch.map((b) => b.item),
            state,
          );
          for (const [i, b] of batch.entries()) b.resolve(entries[i]!);
        } catch (err) {
          // The whole transaction rolled back: none of the batch was written, each caller learns so.
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      running = false;
    }
  };
  return {
    append(item) {
      return new Promise<TraceEntry>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
