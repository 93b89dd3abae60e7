import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../../functions/adapters/store-fs.ts';

describe('filesystem object store specifics', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-fs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves no temporary file behind when an upload fails', async () => {
    const store = createFsObjectStore(join(dir, 'failing'));
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.error(new Error('client went away'));
      },
    });
    await expect(store.put('a/b', broken)).rejects.toThrow('client went away');
    expect(await readdir(join(dir, 'failing', 'tmp'))).toEqual([]);
    expect(await store.list('')).toEqual([]);
  });

  it('writes only under its root folder', async () => {
    const root = join(dir, 'rooted');
    const store = createFsObjectStore(root);
    await store.put('x/y.json', new TextEncoder().encode('{}'), { contentType: 'application/json' });
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['rooted']));
    expect(await readdir(join(root, 'objects', 'x'))).toEqual(['y.json']);
    expect(await readdir(join(root, 'meta', 'x'))).toEqual(['y.json.json']);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('does not mistake a sidecar-like key for metadata', async () => {
    const store = createFsObjectStore(join(dir, 'sidecar'));
    await store.put('doc', new Uint8Array([1]), { contentType: 'text/plain' });
    await store.put('doc.json', new Uint8Array([2, 2]), { contentType: 'application/json' });
    expect(await store.head('doc')).toEqual({ size: 1, contentType: 'text/plain' });
    expect(await store.head('doc.json')).toEqual({ size: 2, contentType: 'application/json' });
    expect(await store.list('')).toEqual(['doc', 'doc.json']);
  });
});
