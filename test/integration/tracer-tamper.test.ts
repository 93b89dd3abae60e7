import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../functions/db/client.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import type { TracerPublicKey } from '../../shared/tracer/checkpoint.ts';
import { GENESIS_HASH, entryHash } from '../../shared/tracer/entry.ts';
import { verifyRemoteLog } from '../../shared/tracer/remote-verify.ts';
import type { LogReport } from '../../shared/tracer/verify-log.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { threadedEntryVerifier } from '../../scripts/tracer-verify-threads.ts';
import { asSuperuser, getJson, useDatasets } from './tracer-support.ts';

const T = '/tracer/api/v1';
type Row = Record<string, unknown> & { seq: number; hash: string; prev_hash: string };

/** The columns of one stored row, as SQL literals, so a test can put it back exactly. */
const insertRow = (r: Row, seq = r.seq) =>
  `insert into tracer_entries (seq, id, timestamp, created_at, submitter, user_id, user_action, dataset_ids, payload, prev_hash, hash) values (${seq}, '${r.id}', '${r.timestamp}', now(), '${r.submitter}', '${r.user_id}', '${r.user_action}', ARRAY[${(r.dataset_ids as string[]).map((d) => `'${d}'`).join(',')}]::text[], '${JSON.stringify(r.payload)}'::jsonb, '${r.prev_hash}', '${r.hash}')`;
// Renumbering under the primary key without a deferred constraint: go through negative numbers.
const shift = (from: number, by: number) => [
  `update tracer_entries set seq = -(seq + ${by}) - 1 where seq >= ${from}`,
  `update tracer_entries set seq = -(seq + 1) where seq < 0`,
];

describe(`tracer tamper evidence (${databaseKind()})`, () => {
  let hub: TestHub;
  let key: TracerPublicKey;
  let admin: string;
  let rows: Row[];
  beforeAll(async () => {
    // A checkpoint after every entry: the verifier can then place a rewrite at its exact entry.
    hub = await startTestHub({ env: { TRACER_CHECKPOINT_EVERY: '1' } });
    key = hub.services.tracer.signer.publicKey!;
    admin = await hub.token('admin');
    for (let i = 0; i < 12; i++) await recordTrace(hub.services, useDatasets([`ds-${i % 3}`], `user-${i}`));
    // to_jsonb: postgres.js without type fetching hands text[] back as its literal.
    const all = sql`select seq, id, timestamp, submitter, user_id, user_action, to_jsonb(dataset_ids) as dataset_ids, payload, prev_hash, hash from tracer_entries order by seq`;
    rows = rowsOf<Row>(await hub.services.db.execute(all)).map((r) => ({ ...r, seq: Number(r.seq) }));
  });
  afterAll(async () => hub?.stop());

  const audit = async () => (await getJson<LogReport>(`${hub.url}${T}/audit`, admin)).body;
  const verify = () => verifyRemoteLog({ url: hub.url, token: admin, publicKey: key });
  // Pages of 4 on two worker threads: chain links and Merkle roots must also hold across page boundaries.
  const verifyThreaded = () =>
    verifyRemoteLog({ url: hub.url, token: admin, publicKey: key, pageSize: 4, entryVerifier: threadedEntryVerifier(2) });

  it('verifies while untouched', async () => {
    expect((await verify()).consistent).toBe(true);
    expect(await audit()).toMatchObject({ consistent: true, entries: 12 });
    expect(await verifyThreaded()).toMatchObject({ consistent: true, entries: 12, checkpoints: 12 });
  });

  const forgedAt5 = () => {
    // A well-formed entry an attacker slips in at position 5, correctly chained to entry 4.
    const content = {
      seq: 5,
      id: crypto.randomUUID(),
      timestamp: String(rows[4]!.timestamp),
      submitter: 'hub',
      userId: 'mallory',
      userAction: 'DOWNLOAD_RESULT' as const,
      datasetIds: ['ds-0'],
      payload: { runId: 'run-x' },
      prevHash: rows[4]!.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(content);
    return {
      ...rows[4]!,
      id: content.id,
      user_id: 'mallory',
      user_action: 'DOWNLOAD_RESULT',
      dataset_ids: ['ds-0'],
      payload: content.payload,
      prev_hash: content.prevHash,
      hash,
      seq: 5,
    } as Row;
  };

  describe.each([
    [
      'a row edited',
      () => [`update tracer_entries set user_id = 'mallory' where seq = 5`],
      () => [`update tracer_entries set user_id = '${rows[5]!.user_id}' where seq = 5`],
      5,
    ],
    [
      'a dataset id edited',
      () => [`update tracer_entries set dataset_ids = ARRAY['ds-9'] where seq = 6`],
      () => [`update tracer_entries set dataset_ids = ARRAY['${(rows[6]!.dataset_ids as string[]).join("','")}'] where seq = 6`],
      6,
    ],
    [
      'an action edited',
      () => [`update tracer_entries set user_action = 'DOWNLOAD_RESULT' where seq = 8`],
      () => [`update tracer_entries set user_action = '${rows[8]!.user_action}' where seq = 8`],
      8,
    ],
    ['a row deleted', () => ['delete from tracer_entries where seq = 5'], () => [insertRow(rows[5]!)], 5],
    [
      'two rows swapped',
      () => [
        'update tracer_entries set seq = -1 where seq = 5',
        'update tracer_entries set seq = 5 where seq = 6',
        'update tracer_entries set seq = 6 where seq = -1',
      ],
      () => [
        'update tracer_entries set seq = -1 where seq = 5',
        'update tracer_entries set seq = 5 where seq = 6',
        'update tracer_entries set seq = 6 where seq = -1',
      ],
      5,
    ],
    [
      'a forged row inserted',
      () => [...shift(5, 1), insertRow(forgedAt5())],
      () => ['delete from tracer_entries where seq = 5', ...shift(6, -1)],
      5,
    ],
    [
      'a row edited and re-hashed',
      () => {
        const r = rows[7]!;
        const content = {
          seq: 7,
          id: r.id,
          timestamp: r.timestamp,
          submitter: r.submitter,
          userId: 'mallory',
          userAction: r.user_action,
          datasetIds: r.dataset_ids,
          payload: r.payload,
          prevHash: r.prev_hash,
        };
        return [`update tracer_entries set user_id = 'mallory', hash = '${entryHash(content as never)}' where seq = 7`];
      },
      () => [`update tracer_entries set user_id = '${rows[7]!.user_id}', hash = '${rows[7]!.hash}' where seq = 7`],
      7,
    ],
  ] as const)('%s', (_name, tamper, restore, firstBad) => {
    it(`is reported at entry ${firstBad} by the verifier and by the API, and verifies again once undone`, async () => {
      await asSuperuser(hub, tamper());
      try {
        const report = await verify();
        expect(report.consistent, JSON.stringify(report)).toBe(false);
        expect(report.firstBad?.seq, JSON.stringify(report.firstBad)).toBe(firstBad);
        expect((await verifyThreaded()).firstBad, 'threaded verifier').toEqual(report.firstBad);
        const api = await audit();
        expect(api.consistent).toBe(false);
        expect(api.firstBad?.seq, JSON.stringify(api.firstBad)).toBe(firstBad);
      } finally {
        await asSuperuser(hub, restore());
      }
      expect((await verify()).consistent).toBe(true);
    });
  });

  it('refuses to serve an edited trace as sound: 409 on the entry, consistent:false on the list', async () => {
    await asSuperuser(hub, [`update tracer_entries set user_id = 'mallory' where seq = 3`]);
    try {
      const one = await getJson<{ error: { code: string; details: { code: string; firstBadSeq: number } } }>(
        `${hub.url}${T}/traces/${rows[3]!.id}`,
        admin,
      );
      expect(one.status).toBe(409);
      expect(one.body.error.details).toMatchObject({ code: 'log_inconsistent', firstBadSeq: 3 });
      const list = await getJson<{ consistent: boolean; firstBadSeq: number }>(`${hub.url}${T}/traces?userId=mallory`, admin);
      expect(list.body).toMatchObject({ consistent: false, firstBadSeq: 3 });
    } finally {
      await asSuperuser(hub, [`update tracer_entries set user_id = '${rows[3]!.user_id}' where seq = 3`]);
    }
  });
});
