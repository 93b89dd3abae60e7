import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { globToRegExp } from '../../shared/processing/glob.ts';
import { AppError } from '../../shared/errors.ts';
import type { UploadGrant, UploadRequest } from '../../shared/processing/bridge-api.ts';
import { assertSafeKey } from '../ports/object-store.ts';
import type { Services } from '../services.ts';
import { runNodes, runs, runUploads, tools } from './processing.sql.ts';
import { presignedPut } from './presign.ts';

/** An upload URL is good for this long: enough to start a big PUT, too short to hoard. */
export const UPLOAD_TTL_MS = 15 * 60_000;
/** Where the embedded store's upload endpoint lives (outside the API's body limit). */
export const UPLOAD_PATH = '/api/v1/bridge/uploads/';
/** A node keeps at most 1 MiB of log by default; the hub takes up to this much. */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;

export const objectKey = (runId: string, nodeId: string, kind: 'log' | 'output', path: string) => {
  const key = `runs/${runId}/${nodeId}/${kind}/${path}`;
  assertSafeKey(key);
  return key;
};

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const randomToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

/**
 * One PUT URL per file for a node's part of a run that has not ended, each bound to the file's size
 * and SHA-256, after the tool's output policy: allowed paths, file size, total size, file count.
 */
export async function grantUploads(s: Services, runId: string, nodeId: string, req: UploadRequest): Promise<UploadGrant> {
  const [part] = await s.db
    .select()
    .from(runNodes)
    .where(and(eq(runNodes.runId, runId), eq(runNodes.nodeId, nodeId)));
  if (!part) throw new AppError('not_found', `${nodeId} has no part in run ${runId}`);
  // `queued`/`dispatched` too: the node's `running` report may still be in its outbox when it uploads.
  if (part.state !== 'dispatched' && part.state !== 'queued' && part.state !== 'running')
    throw new AppError('conflict', `this node's part of the run is ${part.state}; uploads are closed`);
  const [run] = await s.db.select().from(runs).where(eq(runs.id, runId));
  const [tool] = run
    ? await s.db
        .select()
        .from(tools)
        .where(and(eq(tools.id, run.toolId), eq(tools.version, run.toolVersion)))
    : [];
  if (!tool) throw new AppError('not_found', `run ${runId} has no tool`);
  const policy = tool.approval.outputs;

  const names = req.files.map((f) => `${f.kind}/${f.path}`);
  if (new Set(names).size !== names.length) throw new AppError('bad_request', 'a file is named twice');
  const allow = policy.allow.map(globToRegExp);
  const problems: { path: string; message: string }[] = [];
  for (const f of req.files) {
    if (f.kind === 'log' && f.bytes > MAX_LOG_BYTES)
      problems.push({ path: f.path, message: `a log may have at most ${MAX_LOG_BYTES} bytes` });
    if (f.kind !== 'output') continue;
    if (!allow.some((re) => re.test(f.path))) problems.push({ path: f.path, message: 'not in the tool’s output allow-list' });
    if (f.bytes > policy.maxFileBytes)
      problems.push({ path: f.path, message: `larger than the tool's ${policy.maxFileBytes} bytes per file` });
  }
  // Retries ask again for the same path: count each output path once, at its latest size. A URL
  // that was refused its bytes or expired unused holds nothing (S3 does not tell: count every URL).
  const now = s.clock.now();
  const earlier = await s.db
    .select({
      path: runUploads.path,
      bytes: runUploads.bytes,
      usedAt: runUploads.usedAt,
      storedAt: runUploads.storedAt,
      expiresAt: runUploads.expiresAt,
    })
    .from(runUploads)
    .where(and(eq(runUploads.runId, runId), eq(runUploads.nodeId, nodeId), eq(runUploads.kind, 'output')));
  const holds = (e: (typeof earlier)[number]) => s.config.OBJECT_STORE === 's3' || !!e.storedAt || (!e.usedAt && e.expiresAt > now);
  const sizes = new Map(earlier.filter(holds).map((e) => [e.path, Number(e.bytes)]));
  for (const f of req.files) if (f.kind === 'output') sizes.set(f.path, f.bytes);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (total > policy.maxTotalBytes)
    problems.push({ path: 'files', message: `the outputs would total ${total} bytes; the tool allows ${policy.maxTotalBytes}` });
  if (sizes.size > policy.maxFiles) problems.push({ path: 'files', message: `the tool allows at most ${policy.maxFiles} output files` });
  if (problems.length) throw new AppError('unprocessable', 'the upload does not fit the tool’s output policy', problems);

  const expiresAt = new Date(now.getTime() + UPLOAD_TTL_MS);
  const uploads: UploadGrant['uploads'] = [];
  for (const f of req.files) {
    const key = objectKey(runId, nodeId, f.kind, f.path);
    const token = randomToken();
    await s.db
      .insert(runUploads)
      .values({ tokenHash: sha256Hex(token), runId, nodeId, kind: f.kind, path: f.path, bytes: f.bytes, sha256: f.sha256, expiresAt });
    const target =
      s.config.OBJECT_STORE === 's3'
        ? await presignedPut(s, key, f.bytes, f.sha256, UPLOAD_TTL_MS / 1000)
        : { url: `${s.config.PUBLIC_URL}${UPLOAD_PATH}${token}`, headers: { 'content-length': String(f.bytes) } };
    uploads.push({ kind: f.kind, path: f.path, method: 'PUT', ...target, expiresAt: expiresAt.getTime() });
  }
  return { uploads };
}

/** Counts and hashes the bytes as they pass, and stops the stream past the granted size. */
function meter(limit: number) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > limit) return controller.error(new AppError('bad_request', 'the body is longer than granted'));
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/**
 * The embedded store's upload endpoint: the token is used up by its first use, and the bytes are
 * kept only if they have exactly the granted length and SHA-256. They land in a staging key first,
 * so a bad retry can never replace a good copy already stored.
 */
export async function receiveUpload(
  s: Services,
  token: string,
  contentLength: string | undefined,
  body: ReadableStream<Uint8Array> | null,
): Promise<void> {
  const now = s.clock.now();
  const tokenHash = sha256Hex(token);
  const [grant] = await s.db
    .update(runUploads)
    .set({ usedAt: now })
    .where(and(eq(runUploads.tokenHash, tokenHash), isNull(runUploads.usedAt), gt(runUploads.expiresAt, now)))
    .returning();
  if (!grant) throw new AppError('forbidden', 'this upload URL is unknown, expired or already used');
  if (contentLength === undefined || Number(contentLength) !== Number(grant.bytes))
    throw new AppError('bad_request', `the upload must be exactly ${grant.bytes} bytes`);

  const staging = `runs/${grant.runId}/${grant.nodeId}/staging/${tokenHash}`;
  const m = meter(Number(grant.bytes));
  try {
    await s.objectStore.put(staging, body ? body.pipeThrough(m.stream) : new Uint8Array(0));
  } catch (err) {
    await s.objectStore.delete(staging).catch(() => undefined);
    throw err instanceof AppError ? err : new AppError('bad_request', 'the upload was interrupted');
  }
  const got = body ? m.result() : { size: 0, sha256: sha256Hex('') };
  if (got.size !== Number(grant.bytes) || got.sha256 !== grant.sha256) {
    await s.objectStore.delete(staging);
    throw new AppError('bad_request', 'the body does not have the granted length and SHA-256');
  }
  const copy = await s.objectStore.get(staging);
  if (!copy) throw new AppError('internal', 'the staged upload vanished');
  await s.objectStore.put(objectKey(grant.runId, grant.nodeId, grant.kind, grant.path), copy.body, {
    contentType: grant.kind === 'log' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
  });
  await s.objectStore.delete(staging);
  await s.db.update(runUploads).set({ storedAt: s.clock.now() }).where(eq(runUploads.tokenHash, tokenHash));
}
