import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobResult } from '../shared/job-protocol.ts';
import { HandledJobStore } from './handled-jobs.ts';
import { tempDir } from './test-support/temp-dir.ts';

const answered: JobResult = {
  status: 'answered',
  receipt: 'rcpt-1',
  result: { collections: [], total: { studies_count: 3, subjects_count: 2 }, unsupported_keys: [] },
};

describe('HandledJobStore', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  it('remembers delivered jobs across a reopen (a restart)', async () => {
    const now = 1_000_000;
    const first = await HandledJobStore.open(dir.path, { now: () => now });
    await first.saveResult('job-1', now + 60_000, answered);
    await first.markDelivered('job-1', now + 60_000);
    const second = await HandledJobStore.open(dir.path, { now: () => now });
    expect(second.wasDelivered('job-1')).toBe(true);
    expect(second.wasDelivered('job-2')).toBe(false);
  });

  it('keeps an undelivered result, without its receipt, for re-sending', async () => {
    const now = 1_000_000;
    const store = await HandledJobStore.open(dir.path, { now: () => now });
    await store.saveResult('job-1', now + 60_000, answered);
    const reopened = await HandledJobStore.open(dir.path, { now: () => now });
    expect(reopened.wasDelivered('job-1')).toBe(false);
    const { receipt: _, ...withoutReceipt } = answered;
    expect(reopened.pendingResult('job-1')).toEqual(withoutReceipt);
  });

  it('forgets jobs some minutes after they expired, and rewrites its file without them', async () => {
    let now = 1_000_000;
    const store = await HandledJobStore.open(dir.path, { now: () => now });
    await store.markDelivered('old', now + 1_000);
    await store.markDelivered('fresh', now + 3_600_000);
    now += 10 * 60_000;
    await store.prune();
    expect(store.wasDelivered('old')).toBe(false);
    expect(store.wasDelivered('fresh')).toBe(true);
    const lines = (await readFile(join(dir.path, 'handled-jobs.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).jobId)).toEqual(['fresh']);
  });

  it('skips a torn last line instead of failing to start', async () => {
    const now = 1_000_000;
    const store = await HandledJobStore.open(dir.path, { now: () => now });
    await store.markDelivered('job-1', now + 60_000);
    await appendFile(join(dir.path, 'handled-jobs.jsonl'), '{"jobId":"job-2","expi');
    const reopened = await HandledJobStore.open(dir.path, { now: () => now });
    expect(reopened.wasDelivered('job-1')).toBe(true);
    expect(reopened.size).toBe(1);
  });
});
