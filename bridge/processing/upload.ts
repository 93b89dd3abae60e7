import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OutputFile } from './outputs.ts';

export interface UploadItem {
  runId: string;
  nodeId: string;
  kind: 'output' | 'log';
  /** Relative, `/`-separated, already checked against the allow-list. */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes, known before sending: the hub binds its upload URL to it. */
  sha256: string;
  /** Opens the bytes afresh each call, so a sink can retry without holding the file in memory. */
  body: () => Readable;
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
    await pipeline(item.body(), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  }
}

/**
 * Sends accepted outputs to the sink with their SHA-256. Each file is opened without following
 * symlinks and must still be the plain file of the size that was checked; it is read twice (hash,
 * then send), never held in memory, and each read stops at the checked size.
 */
export async function uploadOutputs(
  outputDir: string,
  files: readonly OutputFile[],
  sink: OutputSink,
  meta: { runId: string; nodeId: string },
): Promise<{ path: string; bytes: number; sha256: string }[]> {
  const done: { path: string; bytes: number; sha256: string }[] = [];
  for (const file of files) {
    const handle = await open(join(outputDir, file.path), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const st = await handle.stat();
      if (!st.isFile() || st.size !== file.bytes) throw new Error('an output changed after it was checked');
      // Bounded by the checked size, so a file cannot grow between the check and the read.
      const read = () =>
        file.bytes === 0 ? Readable.from([]) : handle.createReadStream({ autoClose: false, start: 0, end: file.bytes - 1 });
      const hash = createHash('sha256');
      await pipeline(
        read(),
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            cb();
          },
        }),
      );
      const sha256 = hash.digest('hex');
      await sink.put({ ...meta, kind: 'output', path: file.path, bytes: file.bytes, sha256, body: read });
      done.push({ path: file.path, bytes: file.bytes, sha256 });
    } finally {
      await handle.close();
    }
  }
  return done;
}

/** The sha256 and a re-openable body of bytes already in memory (the capped log). */
export function memoryBody(bytes: Buffer): { bytes: number; sha256: string; body: () => Readable } {
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), body: () => Readable.from([bytes]) };
}
