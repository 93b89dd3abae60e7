import { constants, copyFileSync, linkSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { PlannedFile } from './layout.ts';

export interface MaterialiseSummary {
  linked: number;
  copied: number;
  /** Index entries whose file is gone, or is no longer a plain file inside the data folder. */
  skipped: number;
}

// Files handled between two yields, so the bridge keeps heart-beating through a big dataset.
const BATCH = 2000;

/**
 * Lays the planned files out under `inputDir` as hard links to the data (no bytes copied, same
 * inode, and the run sees it read-only through its mount); across file systems, or where the kernel
 * refuses a link (protected_hardlinks), it copies instead. A file that became a symlink or moved
 * outside the data folder since indexing is skipped: a copy would otherwise follow it anywhere.
 */
export async function materialise(
  dataDir: string,
  inputDir: string,
  files: readonly PlannedFile[],
  opts: { copy?: boolean } = {},
): Promise<MaterialiseSummary> {
  const root = realpathSync.native(dataDir) + sep;
  const made = new Set<string>();
  // Resolving each file's folder once (not each file) keeps this at two system calls per file.
  const folderInside = new Map<string, boolean>();
  const summary: MaterialiseSummary = { linked: 0, copied: 0, skipped: 0 };
  let linkWorks = opts.copy !== true;
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % BATCH === 0) await new Promise((r) => setImmediate(r));
    const file = files[i] as PlannedFile;
    const source = join(dataDir, file.source);
    const target = join(inputDir, file.target);
    if (!isPlainFileInside(source, root, folderInside)) {
      summary.skipped++;
      continue;
    }
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      made.add(dir);
    }
    if (linkWorks) {
      try {
        linkSync(source, target);
        summary.linked++;
        continue;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
        // One file system per data folder as a rule: stop trying links after the first refusal.
        if (code === 'EXDEV') linkWorks = false;
      }
    }
    copyFileSync(source, target, constants.COPYFILE_EXCL);
    summary.copied++;
  }
  return summary;
}

/** A plain file (not a symlink) in a folder whose real path is inside the data folder. */
function isPlainFileInside(path: string, root: string, folderInside: Map<string, boolean>): boolean {
  try {
    const folder = dirname(path);
    let inside = folderInside.get(folder);
    if (inside === undefined) {
      inside = (realpathSync.native(folder) + sep).startsWith(root);
      folderInside.set(folder, inside);
    }
    return inside && lstatSync(path).isFile();
  } catch {
    return false;
  }
}
