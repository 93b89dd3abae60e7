export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Bounded exponential backoff with jitter: the delay doubles per failure up to `maxMs`, and each wait
 * is drawn from the upper half of the window so that many bridges losing the hub at once do not all
 * come back in the same second, while none retries sooner than half the window.
 */
export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    this.random = opts.random ?? Math.random;
  }

  next(): number {
    const window = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(window / 2 + (this.random() * window) / 2);
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Waits `ms`, or less if `signal` aborts; never rejects, so loops just re-check the signal. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
