import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputRejectionReason } from '../../shared/processing/run.ts';
import type { OutputPolicy } from '../../shared/processing/tool.ts';
import { compileAllowList } from '../../shared/processing/glob.ts';

export interface OutputFile {
  path: string;
  bytes: number;
}

export interface OutputVerdict {
  accepted: OutputFile[];
  rejected: { path: string; reason: OutputRejectionReason; bytes?: number }[];
}

// A tool can nest folders without end; deeper entries are reported, not walked.
const MAX_DEPTH = 32;
const MAX_ENTRIES = 100_000;

/**
 * Sorts what a tool left in its output folder into what may leave the node and what may not. Symlinks
 * are never followed nor accepted (one pointing at /input or the host would otherwise carry data out),
 * nor are devices, sockets or fifos; a file must match the allow-list and fit the size limits. Paths
 * are visited in name order, so which files fit the total is the same on every run.
 */
export async function checkOutputs(outputDir: string, policy: OutputPolicy): Promise<OutputVerdict> {
  const allowed = compileAllowList(policy.allow);
  const verdict: OutputVerdict = { accepted: [], rejected: [] };
  let total = 0;
  let seen = 0;
  const visit = async (rel: string, depth: number): Promise<void> => {
    const names = (await readdir(join(outputDir, rel))).sort();
    for (const name of names) {
      if (++seen > MAX_ENTRIES) return;
      const path = rel ? `${rel}/${name}` : name;
      const st = await lstat(join(outputDir, path));
      if (st.isSymbolicLink()) verdict.rejected.push({ path, reason: 'symlink' });
      else if (st.isDirectory()) {
        if (depth < MAX_DEPTH) await visit(path, depth + 1);
        else verdict.rejected.push({ path, reason: 'not_a_file' });
      } else if (!st.isFile()) verdict.rejected.push({ path, reason: 'not_a_file' });
      else if (!allowed(path)) verdict.rejected.push({ path, reason: 'not_allowed', bytes: st.size });
      else if (st.size > policy.maxFileBytes) verdict.rejected.push({ path, reason: 'too_large', bytes: st.size });
      else if (total + st.size > policy.maxTotalBytes) verdict.rejected.push({ path, reason: 'total_too_large', bytes: st.size });
      else if (verdict.accepted.length >= policy.maxFiles) verdict.rejected.push({ path, reason: 'too_many_files', bytes: st.size });
      else {
        total += st.size;
        verdict.accepted.push({ path, bytes: st.size });
      }
    }
  };
  await visit('', 0);
  return verdict;
}
