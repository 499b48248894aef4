/**
 * The copy LOAD DATA keeps to start over from (`load-spool.ts`): a small file stays in memory
 * and no file is made; a larger one goes to a file (written in batches while chunks keep
 * coming), is read back byte for byte, and is removed afterwards.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadSpool } from '../../src/aggregator/load-spool.js';

describe('LOAD DATA spool', () => {
  const folders: string[] = [];
  after(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  async function spooled(sizes: readonly number[], memoryBytes: number) {
    const folder = await mkdtemp(join(tmpdir(), 'exo-spool-'));
    folders.push(folder);
    let made = 0;
    const spool = new LoadSpool(() => Promise.resolve(join(folder, `copy-${++made}`)), memoryBytes);
    const chunks = sizes.map((size, index) =>
      Buffer.alloc(size, String.fromCharCode(97 + (index % 26))),
    );
    for (const chunk of chunks) await spool.append(chunk);
    const read: Buffer[] = [];
    for await (const chunk of spool.read()) read.push(Buffer.from(chunk));
    const files = await readdir(folder);
    await spool.remove();
    return { expected: Buffer.concat(chunks), read: Buffer.concat(read), files, folder };
  }

  it('keeps a small file in memory', async () => {
    const { expected, read, files } = await spooled([10, 20, 30], 1024);
    assert.deepEqual(read, expected);
    assert.deepEqual(files, []);
  });

  it('writes a larger file, reads it back whole and removes it', async () => {
    const sizes = Array.from({ length: 40 }, (_, index) => 100_000 + index * 997);
    const { expected, read, files, folder } = await spooled(sizes, 256 * 1024);
    assert.equal(read.length, expected.length);
    assert.ok(read.equals(expected));
    assert.deepEqual(files, ['copy-1']);
    assert.deepEqual(await readdir(folder), []);
  });
});
