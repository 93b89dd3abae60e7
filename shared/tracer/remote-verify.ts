import { z } from 'zod';
import { type Checkpoint, checkpointSchema, type TracerPublicKey, tracerPublicKeySchema } from './checkpoint.ts';
import { type TraceEntry, traceEntrySchema } from './entry.ts';
import { fromHex } from './hex.ts';
import { verifyConsistency } from './merkle-verify.ts';
import { type LogReport, verifyLog } from './verify-log.ts';

export interface RemoteVerifyOptions {
  /** The hub's origin, e.g. https://hub.example.org */
  url: string;
  /** An admin's access token: verifying the whole chain needs every entry. */
  token?: string;
  /** The tracer key pinned out of band; without it the hub's published key is trusted (and the report says so). */
  publicKey?: TracerPublicKey;
  pageSize?: number;
  fetch?: typeof fetch;
}

export interface RemoteReport extends LogReport {
  keyPinned: boolean;
  keyId: string;
  /** The hub's consistency proof from the first to the latest checkpoint, checked against both signed roots. */
  consistencyProof: 'verified' | 'failed' | 'not_applicable';
}

const page = z.object({ traces: z.array(traceEntrySchema) });
const checkpointPage = z.object({ checkpoints: z.array(checkpointSchema) });
const keys = z.object({ keys: z.array(tracerPublicKeySchema) });
const consistency = z.object({ proof: z.array(z.string()) });

/**
 * The independent verifier: downloads entries, checkpoints and a consistency proof through the
 * public API, then recomputes everything locally with no access to the hub's database.
 */
export async function verifyRemoteLog(opts: RemoteVerifyOptions): Promise<RemoteReport> {
  const base = opts.url.replace(/\/+$/, '') + '/tracer/api/v1';
  const doFetch = opts.fetch ?? fetch;
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const res = await doFetch(base + path, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
    return schema.parse(body);
  };
  const publicKey = opts.publicKey ?? (await get('/keys', keys)).keys[0];
  if (!publicKey) throw new Error('the hub publishes no tracer key');
  const checkpoints: Checkpoint[] = [];
  for (;;) {
    const from = (checkpoints.at(-1)?.treeSize ?? -1) + 1;
    const got = (await get(`/checkpoints?fromSize=${from}&limit=10000`, checkpointPage)).checkpoints;
    checkpoints.push(...got);
    if (got.length < 10000) break;
  }
  const entries: TraceEntry[] = [];
  const size = opts.pageSize ?? 5000;
  for (;;) {
    const got = (await get(`/traces?skip=${entries.length}&limit=${size}`, page)).traces;
    entries.push(...got);
    if (got.length < size) break;
  }
  const report = await verifyLog({ entries, checkpoints, publicKey });
  let proofState: RemoteReport['consistencyProof'] = 'not_applicable';
  const first = checkpoints[0];
  const last = checkpoints.at(-1);
  if (report.consistent && first && last && first.treeSize > 0 && first.treeSize < last.treeSize) {
    const { proof } = await get(`/proofs/consistency?from=${first.treeSize}&to=${last.treeSize}`, consistency);
    const ok = verifyConsistency(first.treeSize, last.treeSize, fromHex(first.rootHash), fromHex(last.rootHash), proof.map(fromHex));
    proofState = ok ? 'verified' : 'failed';
  }
  const consistent = report.consistent && proofState !== 'failed';
  return { ...report, consistent, keyPinned: !!opts.publicKey, keyId: publicKey.kid, consistencyProof: proofState };
}
