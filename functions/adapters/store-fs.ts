import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readFile, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { type ObjectStore, assertSafeKey } from '../ports/object-store.ts';
import { assertSafePrefix } from './store-keys.ts';

interface Meta {
  contentType?: string;
}

const isMissing = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  // ENOTDIR: a parent of the key is itself an object (`a` exists, `a/b` is asked for).
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/**
 * The embedded object store. Layout under `rootDir`: `objects/<key>` holds the bytes,
 * `meta/<key>.json` the content type (a separate tree, so no key can collide with a sidecar), and
 * `tmp/` the uploads in progress — on the same filesystem, so the final rename is atomic and a
 * reader never sees half an object. Unlike S3, `a` and `a/b` cannot both exist (file vs folder).
 */
export function createFsObjectStore(rootDir: string): ObjectStore {
  const objectsDir = join(rootDir, 'objects');
  const metaDir = join(rootDir, 'meta');
  const tmpDir = join(rootDir, 'tmp');
  const dataPath = (key: string) => join(objectsDir, ...key.split('/'));
  const metaPath = (key: string) => `${join(metaDir, ...key.split('/'))}.json`;

  async function readMeta(key: string): Promise<Meta> {
    try {
      return JSON.parse(await readFile(metaPath(key), 'utf8')) as Meta;
    } catch (err) {
      if (isMissing(err)) return {};
      throw err;
    }
  }

  async function writeTemp(write: (file: FileHandle) => Promise<void>): Promise<string> {
    await mkdir(tmpDir, { recursive: true });
    const path = join(tmpDir, randomUUID());
    const file = await open(path, 'wx');
    try {
      await write(file);
      // Flush before the rename, or a crash could leave a complete name over incomplete bytes.
      await file.datasync();
    } catch (err) {
      await file.close();
      await rm(path, { force: true });
      throw err;
    }
    await file.close();
    return path;
  }

  async function removeFile(path: string) {
    try {
      await unlink(path);
    } catch (err) {
      // EISDIR/EPERM: the key names a folder of other keys (`a` while `a/b` exists): not an object.
      const code = (err as NodeJS.ErrnoException).code;
      if (!isMissing(err) && code !== 'EISDIR' && code !== 'EPERM') throw err;
    }
  }

  async function moveInto(tmp: string, target: string) {
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(tmp, target);
    } catch (err) {
      // A concurrent delete may prune the freshly made folder between mkdir and rename: once more.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target);
    }
  }

  /** Removes folders emptied by a delete, so a later `put('a')` is not blocked by a stale `a/`. */
  async function prune(path: string, stopAt: string) {
    for (let dir = dirname(path); dir.startsWith(stopAt + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): nothing above it can be empty either
      }
    }
  }

  async function walk(dir: string, out: string[]) {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, out);
      else if (entry.isFile()) out.push(relative(objectsDir, path).split(sep).join('/'));
    }
  }

  return {
    kind: 'fs',

    async put(key, body, opts) {
      assertSafeKey(key);
      let size = 0;
      const tmpData = await writeTemp(async (file) => {
        if (body instanceof Uint8Array) {
          await file.write(body);
          size = body.byteLength;
          return;
        }
        const reader = body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await file.write(value);
          size += value.byteLength;
        }
      });
      const meta: Meta = opts?.contentType ? { contentType: opts.contentType } : {};
      const tmpMeta = await writeTemp((file) => file.writeFile(JSON.stringify(meta)));
      // Bytes first, then the sidecar: a reader racing an overwrite may briefly pair the new bytes
      // with the old content type, never a content type with missing bytes.
      await moveInto(tmpData, dataPath(key));
      await moveInto(tmpMeta, metaPath(key));
      return { size };
    },

    async get(key) {
      assertSafeKey(key);
      let file: FileHandle;
      try {
        // Holding the descriptor keeps the bytes readable even if the key is deleted meanwhile.
        file = await open(dataPath(key), 'r');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      try {
        const stat = await file.stat();
        if (!stat.isFile()) {
          await file.close();
          return undefined;
        }
        const { contentType } = await readMeta(key);
        const body = Readable.toWeb(file.createReadStream()) as unknown as ReadableStream<Uint8Array>;
        return { body, size: stat.size, contentType };
      } catch (err) {
        await file.close();
        throw err;
      }
    },

    async head(key) {
      assertSafeKey(key);
      try {
        const info = await stat(dataPath(key));
        if (!info.isFile()) return undefined;
        return { size: info.size, contentType: (await readMeta(key)).contentType };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      await removeFile(dataPath(key));
      await removeFile(metaPath(key));
      await prune(dataPath(key), objectsDir);
      await prune(metaPath(key), metaDir);
    },

    async list(prefix) {
      assertSafePrefix(prefix);
      const cut = prefix.lastIndexOf('/');
      const keys: string[] = [];
      // Walk only the deepest complete folder of the prefix, then match the partial tail as text.
      await walk(cut >= 0 ? dataPath(prefix.slice(0, cut)) : objectsDir, keys);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
