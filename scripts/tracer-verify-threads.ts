import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TraceEntry } from '../shared/tracer/entry.ts';
import type { EntryVerifier } from '../shared/tracer/remote-verify.ts';
import { LogVerifier } from '../shared/tracer/verify-log.ts';

/** One page of the log for a worker: handed over, or fetched by the worker itself (API or database). */
export type PageTask =
  | { kind: 'entries'; entries: TraceEntry[] }
  | { kind: 'http'; url: string; token?: string }
  | { kind: 'postgres'; databaseUrl: string; from: number; limit: number };

/** What a worker hands back per page: everything the in-order chain and tree checks need, no entry objects. */
export interface HashedPage {
  seqs: Float64Array;
  matches: Uint8Array;
  leaves: string[];
  prevHashes: string[];
  hashes: string[];
}

/**
 * Node only: worker threads that hash entries (canonical JSON, SHA-256, Merkle leaf) page by page.
 * The Merkle tree and the chain stay in one thread, in position order, in the shared LogVerifier, so
 * the verdict (and the first bad entry) is the single-threaded one.
 */
export class HashPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve(p: HashedPage): void; reject(e: Error): void }>();
  private nextId = 0;

  constructor(readonly size = Math.max(1, availableParallelism() - 1)) {
    // Each worker registers tsx first, then imports the TypeScript worker (and shared/) as the CLI does;
    // `--import tsx` in a worker's execArgv does not reach its entry on Node 20.
    const entry = new URL('./tracer-verify-worker.ts', import.meta.url).href;
    const tsxApi = pathToFileURL(
      path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
    ).href;
    const boot = new URL(
      `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry)});`)}`,
    );
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(boot);
      w.on('message', (m: HashedPage & { id: number; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve(m);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return w;
    });
  }

  /** Resolves once every worker has loaded its code (a timed run should not include that). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map(() => this.run({ kind: 'entries', entries: [] })));
  }

  run(task: PageTask): Promise<HashedPage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ ...task, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Hashes pages `task(0)`, `task(1)`, ... on the pool, at most `inFlight` at a time, and feeds them to
 * the verifier in order. Stops after `pages` pages, or (when that is not known) after a short page.
 */
export async function feedPages(
  verifier: LogVerifier,
  pool: HashPool,
  opts: { task: (k: number) => PageTask; pageSize: number; pages?: number; inFlight?: number },
): Promise<void> {
  const inFlight = opts.inFlight ?? pool.size * 2;
  const queue: Promise<HashedPage>[] = [];
  let next = 0;
  let ended = false;
  const fill = () => {
    while (!ended && queue.length < inFlight && (opts.pages === undefined || next < opts.pages)) {
      const page = pool.run(opts.task(next++));
      page.catch(() => {}); // surfaced when its turn comes; a failure before then must not go unhandled
      queue.push(page);
    }
  };
  fill();
  while (queue.length > 0) {
    const page = await queue.shift()!;
    if (ended) continue; // read ahead past the end of the log: nothing there to feed
    const n = page.seqs.length;
    for (let i = 0; i < n; i++) {
      verifier.addHashed(page.seqs[i]!, page.prevHashes[i]!, page.hashes[i]!, page.matches[i] === 1, page.leaves[i]!);
    }
    if (opts.pages === undefined && n < opts.pageSize) ended = true;
    fill();
  }
}

/** The remote verifier's entry pass on worker threads: each worker downloads, validates and hashes its pages. */
export function threadedEntryVerifier(threads?: number): EntryVerifier {
  return async ({ checkpoints, pageUrl, token, pageSize }) => {
    const pool = new HashPool(threads);
    try {
      const verifier = new LogVerifier(checkpoints);
      await feedPages(verifier, pool, { task: (k) => ({ kind: 'http', url: pageUrl(k * pageSize, pageSize), token }), pageSize });
      return verifier.report();
    } finally {
      await pool.close();
    }
  };
}

/** Feeds entries already in memory to the verifier, hashed on the pool (the benchmark's recompute-only figure). */
export async function addEntriesThreaded(verifier: LogVerifier, entries: TraceEntry[], pool: HashPool, pageSize = 5000): Promise<void> {
  const pages = Math.ceil(entries.length / pageSize);
  await feedPages(verifier, pool, {
    task: (k) => ({ kind: 'entries', entries: entries.slice(k * pageSize, (k + 1) * pageSize) }),
    pageSize,
    pages,
  });
}
