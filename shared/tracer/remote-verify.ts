import { z } from 'zod';
import { type Checkpoint, checkpointSchema, type TracerPublicKey, tracerPublicKeySchema } from './checkpoint.ts';
import { traceEntrySchema } from './entry.ts';
import { fromHex } from './hex.ts';
import { verifyConsistency } from './merkle-verify.ts';
import { type LogReport, LogVerifier, badSignature } from './verify-log.ts';

export interface RemoteVerifyOptions {
  /** The hub's origin, e.g. https://hub.example.org */
  url: string;
  /** An admin's access token: verifying the whole chain needs every entry. */
  token?: string;
  /** The tracer key pinned out of band; without it the hub's published key is trusted (and the report says so). */
  publicKey?: TracerPublicKey;
  pageSize?: number;
  fetch?: typeof fetch;
  /** How the entries are downloaded and checked; by default page by page in this thread. */
  entryVerifier?: EntryVerifier;
}

/**
 * The entry pass of the remote verifier, after the checkpoints' signatures have been checked: reads
 * the pages at `pageUrl(from, limit)`, positions from, from + 1, ... (until a short page), and checks
 * them against the checkpoints. Pages are addressed by position, so they can be read side by side.
 * A Node process may run it on worker threads (scripts/tracer-verify-threads.ts).
 */
export type EntryVerifier = (input: {
  checkpoints: Checkpoint[];
  pageUrl: (from: number, limit: number) => string;
  token?: string;
  pageSize: number;
  fetch: typeof fetch;
}) => Promise<LogReport>;

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
  const bad = await badSignature(checkpoints, publicKey);
  const report: LogReport = bad
    ? {
        consistent: false,
        entries: 0,
        checkpoints: 0,
        firstBad: {
          seq: bad.treeSize,
          reason: 'bad_checkpoint_signature',
          message: `checkpoint ${bad.treeSize} is not signed by key ${publicKey.kid}`,
        },
      }
    : await (opts.entryVerifier ?? verifyEntriesHere)({
        checkpoints,
        pageUrl: (from, limit) => `${base}/traces?fromSeq=${from}&limit=${limit}`,
        token: opts.token,
        pageSize: opts.pageSize ?? 5000,
        fetch: doFetch,
      });
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

/** The default entry pass: each page validated and fed to the verifier as it arrives. */
const verifyEntriesHere: EntryVerifier = async ({ checkpoints, pageUrl, token, pageSize, fetch: doFetch }) => {
  const verifier = new LogVerifier(checkpoints);
  for (let from = 0; ; from += pageSize) {
    const url = pageUrl(from, pageSize);
    const res = await doFetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`GET ${new URL(url).pathname}: ${res.status} ${JSON.stringify(body)}`);
    const got = page.parse(body).traces;
    for (const e of got) verifier.add(e);
    if (got.length < pageSize) break;
  }
  return verifier.report();
};
