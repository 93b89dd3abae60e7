import { describe, expect, it } from 'vitest';
import { Backoff, sleep } from './backoff.ts';

describe('Backoff', () => {
  it('doubles up to the bound, drawing each wait from the upper half of the window', () => {
    const low = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
    const high = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 1 });
    expect(Array.from({ length: 6 }, () => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect(Array.from({ length: 6 }, () => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 1 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('sleep ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
