import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../functions/db/client.ts';
import { recordTrace } from '../../functions/tracer/record-trace.ts';
import { createTracer } from '../../functions/tracer/tracer-service.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { type Checkpoint, signCheckpoint, type TracerPublicKey } from '../../shared/tracer/checkpoint.ts';
import type { TraceEntry } from '../../shared/tracer/entry.ts';
import { verifyRemoteLog } from '../../shared/tracer/remote-verify.ts';
import { verifyLog } from '../../shared/tracer/verify-log.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { getJson, useDatasets } from './tracer-support.ts';

const T = '/tracer/api/v1';

/** Runs the verifier CLI as a separate process (asynchronously: the hub it calls lives in this one). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/tracer-verify.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe(`tracer log under concurrency (${databaseKind()})`, () => {
  let hub: TestHub;
  let key: TracerPublicKey;
  beforeAll(async () => {
    hub = await startTestHub({ env: { TRACER_CHECKPOINT_EVERY: '7' } });
    key = hub.services.tracer.signer.publicKey!;
  });
  afterAll(async () => hub?.stop());

  it('refuses UPDATE, DELETE and TRUNCATE on the log, even from the owner', async () => {
    await recordTrace(hub.services, useDatasets(['d1'], 'u1'));
    for (const stmt of [
      'update tracer_entries set user_id = $$x$$',
      'delete from tracer_entries',
      'truncate tracer_entries',
      'delete from tracer_nodes',
    ]) {
      await expect(hub.services.db.execute(sql.raw(stmt)), stmt).rejects.toThrow();
    }
    const [row] = rowsOf<{ n: number }>(await hub.services.db.execute(sql`select count(*)::int as n from tracer_entries`));
    expect(row?.n).toBe(1);
  });

  it('creates an application role that may only read and append', async () => {
    const [p] = rowsOf<Record<string, boolean>>(
      await hub.services.db.execute(sql`select
        has_table_privilege('eucaim_tracer_writer', 'tracer_entries', 'INSERT') as ins,
        has_table_privilege('eucaim_tracer_writer', 'tracer_entries', 'SELECT') as sel,
        has_table_privilege('eucaim_tracer_writer', 'tracer_entries', 'UPDATE') as upd,
        has_table_privilege('eucaim_tracer_writer', 'tracer_entries', 'DELETE') as del,
        has_table_privilege('eucaim_tracer_writer', 'tracer_entries', 'TRUNCATE') as tru`),
    );
    expect(p).toEqual({ ins: true, sel: true, upd: false, del: false, tru: false });
  });

  it('keeps one chain without gaps when 16 writers append at once, from two hub instances', async () => {
    // A second tracer on the same database stands for another hub instance (another Lambda, another isolate).
    const other = createTracer({ ...hub.services.tracer.deps, sequencer: 'direct' });
    const writers = Array.from({ length: 16 }, (_, w) => async () => {
      for (let i = 0; i < 15; i++) {
        const input = useDatasets([`ds-${w % 4}`], `user-${w}`);
        if (w % 2 === 0) await recordTrace(hub.services, input);
        else await other.append({ input, submitter: 'hub' });
      }
    });
    await Promise.all(writers.map((run) => run()));
    const admin = await hub.token('admin');
    const { body } = await getJson<{ traces: TraceEntry[] }>(`${hub.url}${T}/traces?limit=5000`, admin);
    expect(body.traces.map((t) => t.seq)).toEqual(Array.from({ length: 241 }, (_, i) => i));
    expect(new Set(body.traces.map((t) => t.prevHash)).size).toBe(241);
    const report = await verifyRemoteLog({ url: hub.url, token: admin, publicKey: key });
    expect(report, JSON.stringify(report)).toMatchObject({ consistent: true, entries: 241, keyPinned: true });
    expect(report.checkpoints).toBeGreaterThan(5);
    const audit = await getJson<{ consistent: boolean; entries: number }>(`${hub.url}${T}/audit`, admin);
    expect(audit.body).toMatchObject({ consistent: true, entries: 241 });
  });

  it('verifies from the command line: npm run tracer:verify -- --url <hub> --token <t> --key <file>', async () => {
    const keyFile = path.join(hub.dir, 'tracer-public.json');
    await writeFile(keyFile, JSON.stringify(key));
    const run = await cli(['--url', hub.url, '--token', await hub.token('admin'), '--key', keyFile]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^OK: \d+ entries and \d+ checkpoints verify/);
    const anonymous = await cli(['--url', hub.url]);
    expect(anonymous.status).toBe(2);
    expect(anonymous.stderr).toContain('401');
  });

  it('rejects checkpoints signed with another key', async () => {
    const admin = await hub.token('admin');
    const { publicJwk, privateJwk } = await generateNodeKeyPair();
    const stranger = { ...publicJwk, kid: key.kid };
    const pinnedWrong = await verifyRemoteLog({ url: hub.url, token: admin, publicKey: stranger });
    expect(pinnedWrong.consistent).toBe(false);
    expect(pinnedWrong.firstBad?.reason).toBe('bad_checkpoint_signature');

    // A checkpoint re-signed by someone else's key, slipped among the genuine ones.
    const entries = (await getJson<{ traces: TraceEntry[] }>(`${hub.url}${T}/traces?limit=5000`, admin)).body.traces;
    const checkpoints = (await getJson<{ checkpoints: Checkpoint[] }>(`${hub.url}${T}/checkpoints`)).body.checkpoints;
    expect((await verifyLog({ entries, checkpoints, publicKey: key })).consistent).toBe(true);
    const foreignKey = await crypto.subtle.importKey('jwk', { ...privateJwk }, { name: 'Ed25519' }, false, ['sign']);
    const victim = checkpoints[1]!;
    const forged = await signCheckpoint(foreignKey, key.kid, victim);
    const report = await verifyLog({ entries, checkpoints: checkpoints.map((c) => (c === victim ? forged : c)), publicKey: key });
    expect(report.consistent).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: victim.treeSize, reason: 'bad_checkpoint_signature' });
  });
});
