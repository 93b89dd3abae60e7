import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeError } from '../logger.ts';
import { type HeadOptions, readDicomHead } from './dicom-head.ts';
import { MemoryImagingIndex } from './imaging-index.ts';

/** Files at the top of the data folder that are ours, not DICOM, and so never "bad files". */
const NON_IMAGE_FILES = new Set(['dataset.json', 'clinical.csv']);
const PARALLEL_READS = 16;

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      // Hidden files are editor and OS litter; symlinks are not followed so the walk stays inside DATA_DIR.
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && !(dir === root && NON_IMAGE_FILES.has(entry.name))) out.push(path);
    }
  };
  await walk(root);
  return out.sort();
}

/**
 * Indexes every file under `dataDir` from its DICOM header alone. A file that cannot be read or
 * parsed is recorded with its reason; it never stops the run.
 */
export async function buildIndex(dataDir: string, opts: HeadOptions = {}): Promise<MemoryImagingIndex> {
  const index = new MemoryImagingIndex();
  const files = await listFiles(dataDir);
  for (let i = 0; i < files.length; i += PARALLEL_READS) {
    const batch = files.slice(i, i + PARALLEL_READS);
    const heads = await Promise.all(
      batch.map((file) =>
        readDicomHead(file, opts).catch((err: unknown) => ({ ok: false as const, reason: `read failed: ${describeError(err)}`, bytesRead: 0 })),
      ),
    );
    // Added in file order, not completion order, so the index is the same on every run.
    heads.forEach((head, k) => {
      const file = batch[k] as string;
      if (head.ok) index.add(head.fields);
      else index.addBad(relative(dataDir, file), head.reason);
    });
  }
  return index;
}
