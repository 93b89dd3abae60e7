import type { Database } from '../db/client.ts';
import type { Clock } from '../ports/clock.ts';
import type { AppendDeps } from './append.ts';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import { batchingAppender, directAppender, type TraceAppender } from './sequencer.ts';

/** The tracer as a service of the hub: its appender (per process) and its checkpoint signer. */
export interface Tracer extends TraceAppender {
  readonly signer: CheckpointSigner;
  readonly deps: AppendDeps;
}

export interface TracerOptions {
  db: Database;
  clock: Clock;
  signer: CheckpointSigner;
  checkpointEvery: number;
  checkpointSeconds: number;
  sequencer: 'batch' | 'direct';
}

export function createTracer(opts: TracerOptions): Tracer {
  const deps: AppendDeps = {
    db: opts.db,
    clock: opts.clock,
    signer: opts.signer,
    checkpointEvery: opts.checkpointEvery,
    checkpointSeconds: opts.checkpointSeconds,
  };
  const appender = opts.sequencer === 'direct' ? directAppender(deps) : batchingAppender(deps);
  return { signer: opts.signer, deps, append: (item) => appender.append(item) };
}
