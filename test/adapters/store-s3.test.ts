import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STREAMED_PUT_BYTES, createS3ObjectStore } from '../../functions/adapters/store-s3.ts';
import { type S3Server, startS3Server } from '../support/aws-servers.ts';

describe('S3 object store specifics', () => {
  let dir: string;
  let s3: S3Server;
  let client: S3Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-s3-'));
    s3 = await startS3Server(dir);
    client = s3.client();
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each prefix to itself', async () => {
    const key = `k-${randomUUID()}`;
    const blue = createS3ObjectStore({ client, bucket: s3.bucket, prefix: 'blue/' });
    const green = createS3ObjectStore({ client, bucket: s3.bucket, prefix: 'green' });
    await blue.put(key, new Uint8Array([1]));
    expect(await blue.list('k-')).toContain(key);
    expect(await green.list('k-')).not.toContain(key);
    expect(await green.get(key)).toBeUndefined();
    const raw = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `blue/${key}` }));
    expect(raw.ContentLength).toBe(1);
  });

  it('walks every page of a long listing', async () => {
    const store = createS3ObjectStore({ client, bucket: s3.bucket, prefix: 'paged', pageSize: 3 });
    const root = randomUUID();
    const keys = Array.from({ length: 10 }, (_, i) => `${root}/k${String(i).padStart(2, '0')}`);
    await Promise.all(keys.map((key) => store.put(key, new Uint8Array([1]))));
    expect(await store.list(`${root}/`)).toEqual(keys);
  });

  it('refuses an unsafe bucket prefix when built', () => {
    expect(() => createS3ObjectStore({ client, bucket: s3.bucket, prefix: '../other' })).toThrow(/unsafe object key/);
  });

  it('refuses a streamed upload past the limit and stores nothing', async () => {
    const store = createS3ObjectStore({ client, bucket: s3.bucket });
    const key = `big-${randomUUID()}`;
    const mib = new Uint8Array(1024 * 1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += mib.byteLength;
        controller.enqueue(mib);
      },
    });
    await expect(store.put(key, endless)).rejects.toThrow(/larger than 67108864 bytes/);
    expect(sent).toBeLessThanOrEqual(MAX_STREAMED_PUT_BYTES + 2 * mib.byteLength);
    expect(await store.head(key)).toBeUndefined();
  });

  // Guards the client settings, not the store: a later switch to streaming uploads must stay exact.
  it('builds clients that stream a raw upload without a checksum trailer', async () => {
    const bytes = new Uint8Array(10_000).map((_, i) => i % 251);
    const Key = `raw-${randomUUID()}`;
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key,
        Body: Readable.from([bytes.slice(0, 4_321), bytes.slice(4_321)]),
        ContentLength: 10_000,
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }));
    const back = await got.Body!.transformToByteArray();
    expect(back.byteLength).toBe(10_000);
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
  });
});
