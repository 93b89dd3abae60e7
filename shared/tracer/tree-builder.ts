import { type NodeSource, nodeHash, rangeNodes } from './merkle.ts';
import { nodeHex } from './sha256.ts';

export interface StoredNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

/**
 * Perfect subtrees over leaf hashes, built as leaves arrive: the verifier keeps all of them to
 * recompute roots and proofs without the hub; the hub starts from the frontier (the subtrees of
 * the current tree's decomposition) and keeps only the nodes each append completes.
 */
export class PerfectTree {
  private readonly levels: Uint8Array[][] = [[]];
  private count: number;

  /** `frontier` holds at least `rangeNodes(0, size)`: the left siblings any new leaf can need. */
  constructor(size = 0, frontier: StoredNode[] = []) {
    this.count = size;
    for (const n of frontier) this.set(n.level, n.index, n.hash);
  }

  get size(): number {
    return this.count;
  }

  private set(level: number, index: number, hash: Uint8Array) {
    let row = this.levels[level];
    if (!row) {
      row = [];
      this.levels[level] = row;
    }
    row[index] = hash;
  }

  /** Appends one leaf hash; answers it and every perfect subtree it completes. */
  push(leaf: Uint8Array): StoredNode[] {
    let index = this.count;
    this.count += 1;
    this.set(0, index, leaf);
    const added: StoredNode[] = [{ level: 0, index, hash: leaf }];
    let level = 0;
    while (index % 2 === 1) {
      const parent = nodeHash(this.get(level, index - 1), this.get(level, index));
      level += 1;
      index = (index - 1) / 2;
      this.set(level, index, parent);
      added.push({ level, index, hash: parent });
    }
    return added;
  }

  readonly get: NodeSource = (level, index) => {
    const h = this.levels[level]?.[index];
    if (!h) throw new Error(`subtree ${level}:${index} is not known`);
    return h;
  };

  /** The subtrees a tree of `size` leaves decomposes into: all a later append needs. */
  static frontierOf(size: number) {
    return size === 0 ? [] : rangeNodes(0, size);
  }
}

/**
 * Only the perfect subtrees of the current decomposition (`rangeNodes(0, size)`): what a verifier
 * needs to recompute the root as leaves arrive, in O(log n) memory. Keeping every subtree of a
 * million-entry log instead meant two million small arrays for the garbage collector to walk.
 * Hashes in hex, as the log spells them: the verifier compares them with signed roots as strings.
 */
export class MerkleFrontier {
  private readonly hashes: string[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash (hex). */
  push(leaf: string): void {
    let hash = leaf;
    let level = 0;
    // Two perfect subtrees of one level side by side make one of the next level, as in PerfectTree.push.
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      hash = nodeHex(this.hashes.pop()!, hash);
      this.levels.pop();
      level += 1;
    }
    this.hashes.push(hash);
    this.levels.push(level);
    this.count += 1;
  }

  /** MTH of every leaf so far (hex): the decomposition folded from the right, as rangeHash(0, size) does. */
  root(): string {
    if (this.count === 0) throw new Error('an empty tree has no root here');
    let hash = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) hash = nodeHex(this.hashes[i]!, hash);
    return hash;
  }
}
