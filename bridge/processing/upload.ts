import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OutputFile } from './outputs.ts';

export interface UploadItem {
  runId: string;
  nodeId: string;
  kind: 'output' | 'log';
  /** Relative, `/`-separated, already checked against the allow-list. */
  path: string;
  bytes: number;
  body: Readable;
}

/**
 * Where a run's logs and accepted outputs go: the hub's object store through pre-signed URLs or
 * its upload endpoint in production, a folder in tests and on a single machine.
 */
export interface OutputSink {
  put(item: UploadItem): Promise<void>;
}

/** Files under `<root>/<runId>/<nodeId>/<kind>/<path>`; an existing file is never overwritten. */
export class FsOutputSink implements OutputSink {
  constructor(private readonly root: string) {}

  async put(item: UploadItem): Promise<void> {
    const base = resolve(this.root, item.runId, item.nodeId, item.kind);
    const target = resolve(base, item.path);
    if (!target.startsWith(base + sep)) throw new Error('upload path leaves its folder');
    await mkdir(dirname(target), { recursive: true });
    await pipeline(item.body, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  }
}

/**
 * Sends accepted outputs to the sink with their SHA-256. Each file is opened without following
 * symlinks and must still be the plain file of the size that was checked.
 */
export async function uploadOutputs(outputDir: string, files: readonly OutputFile[], sink: OutputSink, meta: { runId: string; nodeId: string }): Promise<{ path: string; bytes: number; sha256: string }[]> {
  const done: { path: string; bytes: number; sha256: string }[] = [];
  for (const file of files) {
    const handle = await open(join(outputDir, file.path), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const st = await handle.stat();
      if (!st.isFile() || st.size !== file.bytes) throw new Error('an output changed after it was checked');
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      // Bounded by the checked size, so a file cannot grow between the check and the read.
      const source = file.bytes === 0 ? Readable.from([]) : handle.createReadStream({ autoClose: false, start: 0, end: file.bytes - 1 });
      await sink.put({ ...meta, kind: 'output', path: file.path, bytes: file.bytes, body: source.pipe(hashing) });
      done.push({ path: file.path, bytes: file.bytes, sha256: hash.digest('hex') });
    } finally {
      await handle.close();
    }
  }
  return done;
}
