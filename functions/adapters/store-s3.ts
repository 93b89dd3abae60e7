import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type ObjectStore, assertSafeKey } from '../ports/object-store.ts';
import { assertSafePrefix } from './store-keys.ts';

/**
 * Streams are buffered before upload: a single PutObject needs a known length, and multipart upload
 * (`@aws-sdk/lib-storage`) is not a dependency. 64 MiB covers result bundles and reports and keeps a
 * Lambda's memory bounded; bigger objects need multipart and fail loudly instead of half-working.
 */
export const MAX_STREAMED_PUT_BYTES = 64 * 1024 * 1024;

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** Folder inside the bucket, so one bucket can serve several stages: `hub` stores `hub/<key>`. */
  prefix?: string;
  /** MaxKeys per ListObjectsV2 page; S3 caps it at 1000. Small values let tests reach page two. */
  pageSize?: number;
}

async function collect(key: string, stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_STREAMED_PUT_BYTES) {
      await reader.cancel();
      throw new Error(`object ${key} is larger than ${MAX_STREAMED_PUT_BYTES} bytes, the limit for streamed uploads to S3`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** GetObject says NoSuchKey; HeadObject has no body, so only NotFound. Other 404s (no bucket) throw. */
const isMissing = (err: unknown) => {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

export function createS3ObjectStore({ client, bucket, prefix = '', pageSize = 1000 }: S3ObjectStoreOptions): ObjectStore {
  const base = prefix.replace(/\/+$/, '');
  if (base !== '') assertSafeKey(base);
  const root = base === '' ? '' : `${base}/`;
  const fullKey = (key: string) => {
    assertSafeKey(key);
    return root + key;
  };

  return {
    kind: 's3',

    async put(key, body, opts) {
      const Key = fullKey(key);
      const bytes = body instanceof Uint8Array ? body : await collect(key, body);
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key, Body: bytes, ContentLength: bytes.byteLength, ContentType: opts?.contentType }),
      );
      return { size: bytes.byteLength };
    },

    async get(key) {
      const Key = fullKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        if (!res.Body) throw new Error(`S3 returned no body for ${key}`);
        return { body: res.Body.transformToWebStream(), size: res.ContentLength ?? 0, contentType: res.ContentType };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async head(key) {
      const Key = fullKey(key);
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        return { size: res.ContentLength ?? 0, contentType: res.ContentType };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async delete(key) {
      // S3 answers 204 for a missing key too, so delete is idempotent without a check.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
    },

    async list(listPrefix) {
      assertSafePrefix(listPrefix);
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const res = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: root + listPrefix, MaxKeys: pageSize, ContinuationToken: token }),
        );
        for (const item of res.Contents ?? []) if (item.Key) keys.push(item.Key.slice(root.length));
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
  };
}
