import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadGrant } from '../../shared/processing/bridge-api.ts';
import { type S3Server, startS3Server } from '../support/aws-servers.ts';
import { databaseKind } from '../support/database.ts';
import { type Federation, processingFederation } from './processing-support.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A PUT with exactly the given headers, as the bridge sends it (no chunking, no redirects). */
function put(url: string, headers: Record<string, string>, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(Buffer.from(body));
  });
}

describe(`result uploads straight to S3 with pre-signed URLs (${databaseKind()})`, () => {
  let dir: string;
  let s3: S3Server;
  let f: Federation;
  let runId: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'processing-s3-'));
    s3 = await startS3Server(dir);
    // The hub's S3 client takes the default credential chain, as a Lambda role would give it.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_EC2_METADATA_DISABLED: 'true' });
    f = await processingFederation({
      env: { OBJECT_STORE: 's3', S3_BUCKET: s3.bucket, AWS_ENDPOINT_URL: s3.endpoint, AWS_REGION: 'us-east-1' },
    });
    await f.sendHealth(f.a);
    const g = await f.grant('researcher');
    const res = await (await f.hub.client('researcher')).api.v1.runs.$post({
      json: { tool: { id: 'count-series', version: '1.0' }, parameters: { threshold: 1 }, inputs: [`node-a:${g.dataset}`] },
    });
    runId = (await res.json()).id;
  });
  afterAll(async () => {
    await f?.stop();
    await s3?.close();
    process.env = saved;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const grantFor = async (file: string, body: Uint8Array) => {
    const res = await f.a.call(
      'POST',
      `/api/v1/bridge/runs/${runId}/uploads`,
      { files: [{ kind: 'output', path: file, bytes: body.byteLength, sha256: sha(body) }] },
      { nowMs: f.clock.ms() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as UploadGrant).uploads[0] as UploadGrant['uploads'][number];
  };

  it('grants a pre-signed S3 PUT that stores the bytes under the run, node and path', async () => {
    const body = new TextEncoder().encode('{"series":7}');
    const target = await grantFor('result.json', body);
    expect(target.url.startsWith(`${s3.endpoint}/${s3.bucket}/runs/${runId}/node-a/output/result.json?`)).toBe(true);
    expect(target.headers).toEqual({
      'content-length': String(body.byteLength),
      'x-amz-checksum-sha256': Buffer.from(sha(body), 'hex').toString('base64'),
    });
    expect(await put(target.url, target.headers, body)).toBe(200);
    const stored = await f.hub.services.objectStore.get(`runs/${runId}/node-a/output/result.json`);
    expect(new Uint8Array(await new Response(stored?.body).arrayBuffer())).toEqual(body);
  });

  it('signs the length and checksum into the URL, short-lived', async () => {
    const body = new TextEncoder().encode('{"series":8}');
    const target = await grantFor('other.json', body);
    const url = new URL(target.url);
    expect(url.pathname).toBe(`/${s3.bucket}/runs/${runId}/node-a/output/other.json`);
    // S3 refuses another length or hash because both are signed headers. The s3rver stand-in checks
    // no pre-signed signature at all, so the refusal itself can only be seen against S3.
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'host', 'x-amz-checksum-sha256']);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
  });
});
