import { createHash, type Hash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadDatasets } from '../dataset.ts';

/** What a CREATE_DATASET trace carries (`datasetHashes`), plus what was hashed. */
export interface DatasetHashes {
  datasetId: string;
  folder: string;
  algorithm: 'sha3-256';
  /** SHA3-256 of the index: one `path<TAB>size<TAB>sha3-256(file)<LF>` line per file, in walk order. */
  index: string;
  /** SHA3-256 of every file's bytes, concatenated in walk order. */
  contents: string;
  files: number;
  bytes: number;
}

const CHUNK = 64 * 1024;

/**
 * Files under `root` in a name-sorted, depth-first walk (names compared by code unit, so the order
 * is the same on every platform), as POSIX relative paths. Symbolic links are skipped, not
 * followed: a link could point outside the dataset, and its target is not the dataset's content.
 */
export async function sortedWalk(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await sortedWalk(root, child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}

/** Streams one file in 64 KiB chunks into both hashes; answers its size. */
async function feed(file: string, hashes: Hash[]): Promise<number> {
  const handle = await open(file, 'r');
  const buffer = Buffer.alloc(CHUNK);
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      for (const h of hashes) h.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return size;
}

/** Hashes one folder: the index (names, sizes, per-file hashes) and the contents, each SHA3-256. */
export async function hashFolder(folder: string): Promise<Omit<DatasetHashes, 'datasetId' | 'folder'>> {
  const index = createHash('sha3-256');
  const contents = createHash('sha3-256');
  let bytes = 0;
  const files = await sortedWalk(folder);
  for (const rel of files) {
    const fileHash = createHash('sha3-256');
    const size = await feed(path.join(folder, ...rel.split('/')), [fileHash, contents]);
    index.update(`${rel}\t${size}\t${fileHash.digest('hex')}\n`);
    bytes += size;
  }
  return { algorithm: 'sha3-256', index: index.digest('hex'), contents: contents.digest('hex'), files: files.length, bytes };
}

/** `npm run bridge -- hash --data <dir> --dataset <id>`: the dataset is found by id or folder name. */
export async function hashDataset(dataDir: string, datasetId: string): Promise<DatasetHashes> {
  const datasets = await loadDatasets(dataDir);
  const found = datasets.find((d) => d.id === datasetId) ?? datasets.find((d) => d.folder === datasetId);
  if (!found) throw new Error(`no dataset "${datasetId}" in ${dataDir} (known: ${datasets.map((d) => d.id).join(', ') || 'none'})`);
  return { datasetId: found.id, folder: found.folder, ...(await hashFolder(path.join(dataDir, found.folder))) };
}
