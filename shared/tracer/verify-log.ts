import { type Checkpoint, importCheckpointKey, type TracerPublicKey, verifyCheckpoint } from './checkpoint.ts';
import { GENESIS_HASH, type TraceEntry, entryHash } from './entry.ts';
import { leafHex } from './sha256.ts';
import { MerkleFrontier } from './tree-builder.ts';

export type Inconsistency =
  | 'missing_entry'
  | 'broken_link'
  | 'hash_mismatch'
  | 'checkpoint_mismatch'
  | 'bad_checkpoint_signature'
  | 'checkpoint_beyond_log';

export interface LogReport {
  consistent: boolean;
  entries: number;
  checkpoints: number;
  /** The first entry (by position) that does not verify, and why. */
  firstBad?: { seq: number; reason: Inconsistency; message: string };
}

/**
 * Recomputes the whole log from its entries and checks it against signed checkpoints: sequence
 * numbers without gaps, each entry's hash, each link to the previous hash, and the Merkle root at
 * every checkpoint. The first bad entry is the earliest of the first broken check and the first
 * entry after the last checkpoint that still matched (a rewrite that keeps the chain intact only
 * shows against the signed roots).
 */
export class LogVerifier {
  private readonly tree = new MerkleFrontier();
  private prev = GENESIS_HASH;
  private position = 0;
  private chainFailure?: LogReport['firstBad'];
  private checkpointFailure?: LogReport['firstBad'];
  private lastGoodCheckpoint = 0;
  private pending: Checkpoint[];
  private checked = 0;

  constructor(checkpoints: Checkpoint[]) {
    this.pending = [...checkpoints].sort((a, b) => a.treeSize - b.treeSize);
    while (this.pending[0]?.treeSize === 0) this.pending.shift();
  }

  /** Feeds the next entry in position order. */
  add(entry: TraceEntry): void {
    const hash = entryHash(entry);
    // The leaf is what the content hashes to, so an entry edited with its stored hash left alone still changes the root.
    this.addHashed(entry.seq, entry.prevHash, entry.hash, hash === entry.hash, leafHex(hash));
  }

  /**
   * Feeds the next entry whose content was hashed elsewhere (a worker thread): whether its content
   * hashes to its stored `hash`, and the Merkle leaf (hex) of what it hashes to. Links and roots are
   * checked here, in position order, exactly as `add` does.
   */
  addHashed(seq: number, prevHash: string, hash: string, hashMatches: boolean, leaf: string): void {
    const at = this.position;
    if (!this.chainFailure) {
      if (seq !== at) this.chainFailure = { seq: at, reason: 'missing_entry', message: `position ${at} holds entry ${seq}` };
      else if (prevHash !== this.prev)
        this.chainFailure = { seq: at, reason: 'broken_link', message: `entry ${at}: prevHash does not match the hash of entry ${at - 1}` };
      else if (!hashMatches)
        this.chainFailure = { seq: at, reason: 'hash_mismatch', message: `entry ${at}: hash does not match its content` };
    }
    this.prev = hash;
    this.tree.push(leaf);
    this.position += 1;
    while (this.pending[0] && this.pending[0].treeSize === this.position) this.checkRoot(this.pending.shift()!);
  }

  private checkRoot(c: Checkpoint) {
    this.checked += 1;
    if (this.tree.root() === c.rootHash) {
      if (!this.checkpointFailure) this.lastGoodCheckpoint = c.treeSize;
    } else if (!this.checkpointFailure) {
      const seq = this.lastGoodCheckpoint;
      this.checkpointFailure = {
        seq,
        reason: 'checkpoint_mismatch',
        message: `the entries do not hash to the signed root of checkpoint ${c.treeSize}; the first entry after the last matching checkpoint is ${seq}`,
      };
    }
  }

  report(): LogReport {
    let firstBad = [this.chainFailure, this.checkpointFailure].filter((f) => f !== undefined).sort((a, b) => a.seq - b.seq)[0];
    const beyond = this.pending[0];
    if (!firstBad && beyond) {
      firstBad = {
        seq: this.position,
        reason: 'checkpoint_beyond_log',
        message: `checkpoint ${beyond.treeSize} covers entries the log does not have (it has ${this.position})`,
      };
    }
    return { consistent: !firstBad, entries: this.position, checkpoints: this.checked, ...(firstBad ? { firstBad } : {}) };
  }
}

/** Checks every checkpoint's signature against the pinned key; answers the first that fails. */
export async function badSignature(checkpoints: Checkpoint[], key: TracerPublicKey): Promise<Checkpoint | undefined> {
  const imported = await importCheckpointKey(key);
  for (const c of checkpoints) if (!(await verifyCheckpoint(c, imported, key.kid))) return c;
  return undefined;
}

/** Verifies a whole downloaded log: signatures first, then entries against the signed roots. */
export async function verifyLog(input: {
  entries: Iterable<TraceEntry>;
  checkpoints: Checkpoint[];
  publicKey: TracerPublicKey;
}): Promise<LogReport> {
  const bad = await badSignature(input.checkpoints, input.publicKey);
  if (bad) {
    return {
      consistent: false,
      entries: 0,
      checkpoints: 0,
      firstBad: {
        seq: bad.treeSize,
        reason: 'bad_checkpoint_signature',
        message: `checkpoint ${bad.treeSize} is not signed by key ${input.publicKey.kid}`,
      },
    };
  }
  const verifier = new LogVerifier(input.checkpoints);
  for (const e of input.entries) verifier.add(e);
  return verifier.report();
}
