import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../../functions/adapters/store-fs.ts';
import { createS3ObjectStore } from '../../functions/adapters/store-s3.ts';
import type { ObjectStore } from '../../functions/ports/object-store.ts';
import { startS3Server } from '../support/aws-servers.ts';

interface Started {
  store: ObjectStore;
  stop(): Promise<void>;
}

const backends: { kind: string; start(dir: string): Promise<Started> }[] = [
  { kind: 'fs', start: async (dir) => ({ store: createFsObjectStore(dir), stop: async () => {} }) },
  {
    kind: 's3',
    async start(dir) {
      const s3 = await startS3Server(dir);
      // A page size of 2 makes every listing below of more than two keys walk several pages.
      const store = createS3ObjectStore({ client: s3.client(), bucket: s3.bucket, prefix: 'stage', pageSize: 2 });
      return { store, stop: s3.close };
    },
  },
];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Odd-sized chunks, so chunk framing (the aws-chunked checksum trap) would show in the bytes. */
function streamOf(bytes: Uint8Array, chunk = 7_777): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

describe.each(backends)('$kind object store', ({ kind, start }) => {
  let dir: string;
  let started: Started;
  let store: ObjectStore;
  // Each test works under its own random folder, so tests never see each other's keys.
  const folder = () => `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `store-${kind}-`));
    started = await start(dir);
    store = started.store;
  });
  afterAll(async () => {
    await started?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers with the store kind', () => {
    expect(store.kind).toBe(kind);
  });

  it('gives back exactly the bytes it was given', async () => {
    const key = `${folder()}/blob.bin`;
    const bytes = new Uint8Array([...Array(256).keys(), ...randomBytes(100_000)]);
    expect(await store.put(key, bytes)).toEqual({ size: bytes.byteLength });
    const got = await store.get(key);
    expect(got?.size).toBe(bytes.byteLength);
    const back = await readAll(got!.body);
    expect(back.byteLength).toBe(bytes.byteLength);
    expect(sha256(back)).toBe(sha256(bytes));
  });

  it('stores a streamed upload without a stray byte', async () => {
    const key = `${folder()}/streamed.bin`;
    const bytes = new Uint8Array(randomBytes(50_001));
    expect(await store.put(key, streamOf(bytes), { contentType: 'application/dicom' })).toEqual({ size: 50_001 });
    const got = await store.get(key);
    const back = await readAll(got!.body);
    expect(back.byteLength, 'stray bytes mean a chunk-signing or checksum trailer was stored').toBe(50_001);
    expect(sha256(back)).toBe(sha256(bytes));
    expect(await store.head(key)).toEqual({ size: 50_001, contentType: 'application/dicom' });
  });

  it('keeps an empty object', async () => {
    const key = `${folder()}/empty`;
    await store.put(key, new Uint8Array(0));
    const got = await store.get(key);
    expect(got?.size).toBe(0);
    expect((await readAll(got!.body)).byteLength).toBe(0);
  });

  it('keeps the content type for get and head', async () => {
    const key = `${folder()}/report.json`;
    await store.put(key, new TextEncoder().encode('{"ok":true}'), { contentType: 'application/json' });
    const got = await store.get(key);
    expect(got?.contentType).toBe('application/json');
    expect(new TextDecoder().decode(await readAll(got!.body))).toBe('{"ok":true}');
    expect(await store.head(key)).toEqual({ size: 11, contentType: 'application/json' });
  });

  it('replaces bytes and content type on overwrite', async () => {
    const key = `${folder()}/doc`;
    await store.put(key, new TextEncoder().encode('first version'), { contentType: 'text/plain' });
    await store.put(key, new TextEncoder().encode('<p>2</p>'), { contentType: 'text/html' });
    const got = await store.get(key);
    expect(new TextDecoder().decode(await readAll(got!.body))).toBe('<p>2</p>');
    expect(await store.head(key)).toEqual({ size: 8, contentType: 'text/html' });
  });

  it('keeps the old object when a streamed upload fails midway', async () => {
    const key = `${folder()}/kept`;
    await store.put(key, new TextEncoder().encode('old'));
    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(1000).fill(7));
        else controller.error(new Error('connection reset'));
      },
    });
    await expect(store.put(key, broken)).rejects.toThrow('connection reset');
    const got = await store.get(key);
    expect(new TextDecoder().decode(await readAll(got!.body))).toBe('old');
    expect(await store.list(key.split('/')[0]!)).toEqual([key]);
  });

  it('answers undefined for a key that was never written', async () => {
    const key = `${folder()}/missing`;
    expect(await store.get(key)).toBeUndefined();
    expect(await store.head(key)).toBeUndefined();
  });

  it('lists keys by prefix, in key order', async () => {
    const root = folder();
    const keys = [`${root}/a/2`, `${root}/a/1`, `${root}/a/deep/x`, `${root}/ab`, `${root}/b/1`];
    for (const key of keys) await store.put(key, new Uint8Array([1]));
    expect(await store.list(`${root}/a/`)).toEqual([`${root}/a/1`, `${root}/a/2`, `${root}/a/deep/x`]);
    // A prefix need not end at a folder: `a` also matches `ab`.
    expect(await store.list(`${root}/a`)).toEqual([`${root}/a/1`, `${root}/a/2`, `${root}/a/deep/x`, `${root}/ab`]);
    expect(await store.list(`${root}/`)).toEqual([...keys].sort());
    expect(await store.list(`${root}/c`)).toEqual([]);
  });

  it('forgets a deleted key and deletes idempotently', async () => {
    const root = folder();
    await store.put(`${root}/gone/x`, new Uint8Array([1, 2, 3]), { contentType: 'text/plain' });
    await store.put(`${root}/stays`, new Uint8Array([4]));
    await store.delete(`${root}/gone/x`);
    expect(await store.get(`${root}/gone/x`)).toBeUndefined();
    expect(await store.head(`${root}/gone/x`)).toBeUndefined();
    await store.delete(`${root}/gone/x`);
    await store.delete(`${root}/never-was`);
    expect(await store.list(`${root}/`)).toEqual([`${root}/stays`]);
    // The emptied folder must not block a key of the same name.
    await store.put(`${root}/gone`, new Uint8Array([9]));
    expect((await store.head(`${root}/gone`))?.size).toBe(1);
  });

  describe.each(['../x', '/abs', 'a//b', 'a/../b', 'a/./b', 'a\\b', '', 'a\0b'])('refuses the unsafe key %j', (key) => {
    it('for put, get, head and delete', async () => {
      await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow(/unsafe object key/);
      await expect(store.get(key)).rejects.toThrow(/unsafe object key/);
      await expect(store.head(key)).rejects.toThrow(/unsafe object key/);
      await expect(store.delete(key)).rejects.toThrow(/unsafe object key/);
    });
  });

  it.each(['../', '/abs', 'a//', 'a/../b'])('refuses to list under the unsafe prefix %j', async (prefix) => {
    await expect(store.list(prefix)).rejects.toThrow(/unsafe object key/);
  });
});
