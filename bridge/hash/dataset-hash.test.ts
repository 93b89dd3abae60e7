import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashDataset, hashFolder, sortedWalk } from './dataset-hash.ts';

const sha3 = (data: string | Buffer) => createHash('sha3-256').update(data).digest('hex');

describe('dataset hashes (SHA3-256)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hash-'));
    await mkdir(path.join(dir, 'collection-1', 'b'), { recursive: true });
    // Written out of order: the walk must sort, not follow creation order.
    await writeFile(path.join(dir, 'collection-1', 'b', 'z.dcm'), 'zz');
    await writeFile(path.join(dir, 'collection-1', 'a.csv'), 'id,age\n1,50\n');
    await writeFile(path.join(dir, 'collection-1', 'big.bin'), Buffer.alloc(200_000, 7));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('walks names in sorted order, depth first', async () => {
    expect(await sortedWalk(path.join(dir, 'collection-1'))).toEqual(['a.csv', 'b/z.dcm', 'big.bin']);
  });

  it('hashes the index and the contents as documented', async () => {
    const big = Buffer.alloc(200_000, 7);
    const index = `a.csv\t12\t${sha3('id,age\n1,50\n')}\nb/z.dcm\t2\t${sha3('zz')}\nbig.bin\t200000\t${sha3(big)}\n`;
    const got = await hashDataset(dir, 'collection-1');
    expect(got).toEqual({
      datasetId: 'collection-1',
      folder: 'collection-1',
      algorithm: 'sha3-256',
      index: sha3(index),
      contents: sha3(Buffer.concat([Buffer.from('id,age\n1,50\n'), Buffer.from('zz'), big])),
      files: 3,
      bytes: 200_014,
    });
  });

  it('changes the index but not the contents when a file is renamed in place', async () => {
    const before = await hashFolder(path.join(dir, 'collection-1'));
    await rename(path.join(dir, 'collection-1', 'a.csv'), path.join(dir, 'collection-1', 'a2.csv'));
    const after = await hashFolder(path.join(dir, 'collection-1'));
    expect(after.contents).toBe(before.contents);
    expect(after.index).not.toBe(before.index);
  });

  it('names the known datasets when asked for an unknown one', async () => {
    await expect(hashDataset(dir, 'nope')).rejects.toThrow(/known: collection-1/);
  });
});
