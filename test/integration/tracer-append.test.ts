import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../functions/db/client.ts';
import { appendBatch, type AppendState } from '../../functions/tracer/append.ts';
import { appendIfHeadIs } from '../../functions/tracer/row-insert.ts';
import { GENESIS_HASH, type TraceEntry, entryHash } from '../../shared/tracer/entry.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { useDatasets } from './tracer-support.ts';

const count = async (hub: TestHub) =>
  rowsOf<{ n: number }>(await hub.services.db.execute(sql`select count(*)::int as n from tracer_entries`))[0]?.n;

/** An entry as an appender would hash it onto (seq, prevHash). */
function entryAt(seq: number, prevHash: string): TraceEntry {
  const content = {
    seq,
    id: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    submitter: 'hub',
    userId: 'u',
    userAction: 'USE_DATASETS' as const,
    datasetIds: ['d'],
    payload: {},
    prevHash,
  };
  return { ...content, hash: entryHash(content) };
}

describe(`tracer appends in one statement (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  it('re-hashes a batch whose remembered head another instance has moved, and the chain stays whole', async () => {
    const deps = hub.services.tracer.deps;
    const a: AppendState = {};
    const b: AppendState = {};
    await appendBatch(deps, [{ input: useDatasets(['d1'], 'u1'), submitter: 'hub' }], a);
    await appendBatch(deps, [{ input: useDatasets(['d1'], 'u2'), submitter: 'hub' }], b);
    // a still remembers size 1; the log has 2.
    const [third] = await appendBatch(deps, [{ input: useDatasets(['d1'], 'u3'), submitter: 'hub' }], a);
    expect(third?.seq).toBe(2);
    const chain = rowsOf<{ seq: number; prev_hash: string; hash: string }>(
      await hub.services.db.execute(sql`select seq::int as seq, prev_hash, hash from tracer_entries order by seq`),
    );
    expect(chain.map((r) => r.seq)).toEqual([0, 1, 2]);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.prev_hash).toBe(chain[i - 1]?.hash);
  });

  it('stores nothing and answers the real head when the batch was hashed onto a stale one', async () => {
    const before = await count(hub);
    const stale = entryAt(0, GENESIS_HASH);
    const [res] = rowsOf<{ appended: boolean; head_size: string | number; head_hash: string }>(
      await hub.services.db.execute(appendIfHeadIs({ size: 0, hash: GENESIS_HASH }, [stale], [])),
    );
    expect(res?.appended).toBe(false);
    expect(Number(res?.head_size)).toBe(before);
    expect(await count(hub)).toBe(before);
  });

  describe.each([
    ['a gap after the head', (size: number, head: string) => [entryAt(size + 1, head)]],
    ['a link to another hash', (size: number) => [entryAt(size, 'f'.repeat(64))]],
    ['a broken link inside the batch', (size: number, head: string) => [entryAt(size, head), entryAt(size + 1, 'e'.repeat(64))]],
  ])('a batch with %s', (_name, make) => {
    it('is refused by the database, and nothing is written', async () => {
      const before = (await count(hub)) ?? 0;
      const [head] = rowsOf<{ hash: string }>(
        await hub.services.db.execute(sql`select hash from tracer_entries order by seq desc limit 1`),
      );
      const batch = make(before, head?.hash ?? GENESIS_HASH);
      await expect(
        hub.services.db.execute(appendIfHeadIs({ size: before, hash: head?.hash ?? GENESIS_HASH }, batch, [])),
      ).rejects.toThrow();
      expect(await count(hub)).toBe(before);
    });
  });
});
