import { type NodeSource, nodeHash, rangeNodes } from './merkle.ts';

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
