import { describe, expect, it } from 'vitest';
import { LogCapture } from './logs.ts';

const frame = (stream: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('log capture from the multiplexed stream', () => {
  it('demultiplexes frames split anywhere, keeping arrival order and counting each stream', () => {
    const all = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, 'out two\n')]);
    const logs = new LogCapture(1000);
    for (let i = 0; i < all.length; i += 3) logs.push(all.subarray(i, i + 3));
    expect(logs.text().toString()).toBe('out one\nerr\nout two\n');
    expect([logs.stdoutBytes, logs.stderrBytes, logs.truncated]).toEqual([16, 4, false]);
  });

  it('keeps at most the cap of a huge frame and still counts all of it', () => {
    const logs = new LogCapture(10);
    const big = frame(1, 'x'.repeat(100_000));
    for (let i = 0; i < big.length; i += 4096) logs.push(big.subarray(i, i + 4096));
    logs.push(frame(2, 'late'));
    expect(logs.text().toString()).toBe('x'.repeat(10));
    expect([logs.size, logs.stdoutBytes, logs.stderrBytes, logs.truncated]).toEqual([10, 100_000, 4, true]);
  });
});
