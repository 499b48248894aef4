/**
 * Fold indexes (catalog/folded-keys.ts) live in the partitions' DuckDB files: they hold after a
 * leaf restart. A catalog written before them marks its columnstore tables `binaryKeys` when
 * loaded: such a table (no fold index) keeps comparing bytes, as it did, while tables created
 * afterwards, CREATE TABLE … LIKE it included, compare as the collation (MariaDB refuses 'A'
 * after 'a', checked by hand against MariaDB 10.11).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function errnoOf(db: Connection, sql: string): Promise<number | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}

describe('fold indexes across restarts and older catalogs', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE kept PARTITIONS 1');
    await db.query('USE kept');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  /** The partition's fold indexes, read from DuckDB's catalog on the leaf. */
  const foldIndexes = async (): Promise<unknown[]> => {
    const [result] = await cluster.leaves[0]!.leaf.exec([
      {
        partition: { database: 'kept', ordinal: 0 },
        engine: 'column',
        sql: "SELECT index_name FROM duckdb_indexes() WHERE database_name = current_database() AND index_name LIKE 'exo_fold%' ORDER BY index_name",
      },
    ]);
    return (result?.rows ?? []).map((row) => row[0]);
  };

  it('keeps the fold index after a leaf restart', async () => {
    await db.query('CREATE TABLE t (k VARCHAR(10) PRIMARY KEY, v INT)');
    await db.query("INSERT INTO t VALUES ('a', 1)");
    await cluster.restartLeaf(0);
    assert.deepEqual(await foldIndexes(), ['exo_fold__t__PRIMARY']);
    assert.equal(await errnoOf(db, "INSERT INTO t VALUES ('A ', 2)"), 1062);
    const [rows] = await db.query<RowDataPacket[]>('SELECT k FROM t');
    assert.deepEqual(
      rows.map((row) => row.k as string),
      ['a'],
    );
  });

  it('leaves the tables of an older catalog as they were', async () => {
    await db.query('CREATE TABLE old (k VARCHAR(10) PRIMARY KEY, v INT)');
    // What an older version left: no fold index, and a catalog without `keyCompare`.
    await cluster.leaves[0]!.leaf.exec([
      {
        partition: { database: 'kept', ordinal: 0 },
        engine: 'column',
        sql: 'DROP INDEX "exo_fold__old__PRIMARY"',
      },
    ]);
    await cluster.restartAggregator(async () => {
      const file = join(cluster.home, 'aggregator', 'catalog.json');
      const catalog = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      delete catalog['keyCompare'];
      await writeFile(file, JSON.stringify(catalog));
    });
    await db.end();
    db = await cluster.connect('kept');
    await db.query("INSERT INTO old VALUES ('a', 1), ('A', 2), ('a ', 3)");
    const [rows] = await db.query<RowDataPacket[]>('SELECT k, v FROM old ORDER BY v');
    assert.deepEqual(
      rows.map((row) => [row.k as string, row.v as number]),
      [
        ['a', 1],
        ['A', 2],
        ['a ', 3],
      ],
    );
    // New tables fold, a copy of the old one too.
    await db.query('CREATE TABLE copy LIKE old');
    assert.equal(await errnoOf(db, 'INSERT INTO copy SELECT * FROM old'), 1062);
    assert.deepEqual(await foldIndexes(), ['exo_fold__copy__PRIMARY', 'exo_fold__t__PRIMARY']);
  });
});
