import { type LogReport, LogVerifier, badSignature } from '../../shared/tracer/verify-log.ts';
import type { Database } from '../db/client.ts';
import type { CheckpointSigner } from './checkpoint-signer.ts';
import { entryPage } from './entry-rows.ts';
import { listCheckpoints } from './proofs.ts';

const PAGE = 10_000;

/**
 * The API's own consistency report: the same verifier the outside uses, fed from the database page
 * by page (memory grows with the tree, ~100 bytes an entry, not with the rows). A full pass is
 * O(n), so it is an admin route, not something every request does.
 */
export async function auditLog(db: Database, signer: CheckpointSigner): Promise<LogReport> {
  const checkpoints = await listCheckpoints(db, 0, 1_000_000);
  if (signer.publicKey) {
    const bad = await badSignature(checkpoints, signer.publicKey);
    if (bad) {
      return {
        consistent: false,
        entries: 0,
        checkpoints: 0,
        firstBad: {
          seq: bad.treeSize,
          reason: 'bad_checkpoint_signature',
          message: `checkpoint ${bad.treeSize} is not signed by this hub's tracer key`,
        },
      };
    }
  }
  const verifier = new LogVerifier(checkpoints);
  // Paged by the last seq seen, not by position: a deleted row must not make a page repeat a row.
  let from = 0;
  for (;;) {
    const page = await entryPage(db, from, PAGE);
    for (const e of page) verifier.add(e);
    if (page.length < PAGE) break;
    from = page[page.length - 1]!.seq + 1;
  }
  return verifier.report();
}
