/**
 * Where the DuckDB engines write beside their data: the merge engine keeps its Parquet files in
 * flight and its spilled blocks in a folder of the aggregator's home (emptied at start, removed
 * at close), and a leaf spills into `.duckdb-spill` of its data folder (emptied at open) — not
 * into `.tmp` under the process's working directory, DuckDB's default, which may be anywhere
 * or read-only. A sort bigger than a 30 MB memory limit makes DuckDB spill for real; the
 * engine without a folder shows where it would have gone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MergeEngine } from '../../src/aggregator/merge-engine.js';
import { startLeaf } from '../../src/leaf/server.js';

/** Sorting 4 M integers needs more than 30 MB: DuckDB spills. */
const SPILLING_SORT =
  'SELECT count(*) AS n FROM (SELECT * FROM range(4000000) t(x) ORDER BY hash(x))';

/** A value written as a Parquet file by the engine and read back as a table of it. */
async function throughParquet(merge: MergeEngine, value: number): Promise<unknown[][]> {
  const parquet = await merge.runToParquet([], `SELECT ${value} AS answer`);
  const table = {
    name: 't',
    columns: [{ name: 'answer', engineType: 'INTEGER' }],
    rows: [],
    parquet: [parquet],
  };
  return (await merge.run([table], 'SELECT answer FROM t')).rows;
}

describe('engine folders', () => {
  let home: string;
  let cwd: string;
  const startCwd = process.cwd();

  before(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'exo-engine-folders-'));
    cwd = path.join(home, 'cwd');
    await mkdir(cwd);
    process.chdir(cwd);
  });

  after(async () => {
    process.chdir(startCwd);
    await rm(home, { recursive: true, force: true });
  });

  it('spills where DuckDB defaults to without a folder (the control)', async () => {
    const merge = await MergeEngine.create({ threads: 1, memoryLimit: '30MB' });
    try {
      const result = await merge.run([], SPILLING_SORT);
      assert.equal(String(result.rows[0]?.[0]), '4000000');
      assert.ok(existsSync(path.join(cwd, '.tmp')));
    } finally {
      merge.close();
      await rm(path.join(cwd, '.tmp'), { recursive: true, force: true });
    }
  });

  it('keeps the merge engine in its folder, emptied at start and removed at close', async () => {
    const folder = path.join(home, 'aggregator', 'merge');
    await mkdir(path.join(folder, 'files'), { recursive: true });
    await writeFile(path.join(folder, 'files', 'left-by-a-crash.parquet'), 'x');
    const merge = await MergeEngine.create({ threads: 1, memoryLimit: '30MB', folder });
    try {
      assert.deepEqual(await readdir(path.join(folder, 'files')), []);
      const result = await merge.run([], SPILLING_SORT);
      assert.equal(String(result.rows[0]?.[0]), '4000000');
      assert.ok(!existsSync(path.join(cwd, '.tmp')));
      assert.ok(existsSync(path.join(folder, 'spill')));
      // A Parquet table goes through the folder and leaves nothing there.
      assert.deepEqual(await throughParquet(merge, 42), [[42]]);
      assert.deepEqual(await readdir(path.join(folder, 'files')), []);
    } finally {
      merge.close();
    }
    assert.ok(!existsSync(folder));
  });

  it('makes its folder again when it was removed while the engine runs', async () => {
    const folder = path.join(home, 'aggregator-removed', 'merge');
    const merge = await MergeEngine.create({ threads: 1, memoryLimit: '30MB', folder });
    try {
      await rm(path.join(home, 'aggregator-removed'), { recursive: true, force: true });
      assert.deepEqual(await throughParquet(merge, 7), [[7]]);
      assert.deepEqual(await readdir(path.join(folder, 'files')), []);
      const sorted = await merge.run([], SPILLING_SORT);
      assert.equal(String(sorted.rows[0]?.[0]), '4000000');
    } finally {
      merge.close();
    }
  });

  it('spills a leaf into its data folder, emptied when it opens', async () => {
    const dataDir = path.join(home, 'leaf');
    await mkdir(path.join(dataDir, '.duckdb-spill'), { recursive: true });
    await writeFile(path.join(dataDir, '.duckdb-spill', 'left-by-a-crash.block'), 'x');
    const leaf = await startLeaf({ dataDir, host: '127.0.0.1', port: 0 });
    try {
      assert.ok(!existsSync(path.join(dataDir, '.duckdb-spill', 'left-by-a-crash.block')));
    } finally {
      await leaf.close();
    }
  });
});
