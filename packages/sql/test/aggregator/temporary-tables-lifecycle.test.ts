/**
 * A temporary table lives as long as its session: it is dropped from the leaves when the
 * client disconnects, when its socket is cut, when KILL CONNECTION ends it, and — for what an
 * aggregator killed with SIGKILL left behind — when the aggregator starts again, before any
 * client can see it. Leaves run in this process (their engine tables are read directly); the
 * aggregator runs as a child process, so it can be killed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startLeaf, type LeafServer } from '../../src/index.js';
import { REFERENCE_ORDINAL, type Engine } from '../../src/leaf/api.js';
import { CATALOG_FILE } from '../../src/catalog/catalog-store.js';
import { startSqlProcess, type SqlProcess } from '../support/processes.js';

const DATABASE = 'life';
const PARTITIONS = 4;
const PREFIX = '#sql-temporary-';

/** The reserved-name tables in the engines of every partition of DATABASE, on every leaf. */
async function engineTables(leaves: readonly LeafServer[]): Promise<string[]> {
  const found: string[] = [];
  const queries: Record<Engine, string> = {
    row: "SELECT name FROM sqlite_master WHERE type = 'table'",
    column: 'SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()',
  };
  for (const server of leaves) {
    for (const ordinal of [REFERENCE_ORDINAL, ...Array.from({ length: PARTITIONS }, (_, i) => i)])
      for (const engine of ['row', 'column'] as const) {
        let rows: readonly (readonly unknown[])[];
        try {
          const [result] = await server.leaf.exec([
            { partition: { database: DATABASE, ordinal }, engine, sql: queries[engine] },
          ]);
          rows = result?.rows ?? [];
        } catch {
          continue; // The partition is on the other leaf.
        }
        for (const [name] of rows) if (String(name).startsWith(PREFIX)) found.push(String(name));
      }
  }
  return found.sort();
}

/** The catalog's temporary tables, as its file on disk lists them. */
async function catalogTemporaries(home: string): Promise<string[]> {
  const text = await readFile(join(home, CATALOG_FILE), 'utf8');
  const catalog = JSON.parse(text) as { tables: Record<string, { temporary?: string }> };
  return Object.values(catalog.tables)
    .flatMap((table) => (table.temporary === undefined ? [] : [table.temporary]))
    .sort();
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('temporary tables end with their session', () => {
  let home: string;
  let leaves: LeafServer[];
  let aggregator: SqlProcess;
  const open: Connection[] = [];

  const connect = async (): Promise<Connection> => {
    const connection = await createConnection({
      host: '127.0.0.1',
      port: aggregator.port,
      user: 'root',
      database: DATABASE,
    });
    connection.on('error', () => undefined);
    open.push(connection);
    return connection;
  };

  /** Three temporary tables (columnstore, rowstore, reference) with a row each. */
  const createSome = async (connection: Connection): Promise<void> => {
    await connection.query('CREATE TEMPORARY TABLE c (a INT PRIMARY KEY)');
    await connection.query('CREATE ROWSTORE TEMPORARY TABLE r (a INT PRIMARY KEY)');
    await connection.query('CREATE TEMPORARY REFERENCE TABLE f (a INT PRIMARY KEY)');
    for (const table of ['c', 'r', 'f']) await connection.query(`INSERT INTO ${table} VALUES (1)`);
  };

  const aggregatorHome = (): string => join(home, 'aggregator');
  const startAggregator = async (): Promise<SqlProcess> =>
    startSqlProcess(['aggregator', aggregatorHome(), '0', ...leaves.map((l) => String(l.port))]);

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-temporary-'));
    leaves = [];
    for (const name of ['leaf0', 'leaf1'])
      leaves.push(await startLeaf({ dataDir: join(home, name), host: '127.0.0.1', port: 0 }));
    aggregator = await startAggregator();
    const first = await createConnection({
      host: '127.0.0.1',
      port: aggregator.port,
      user: 'root',
    });
    await first.query(`CREATE DATABASE ${DATABASE} PARTITIONS ${PARTITIONS}`);
    await first.end();
  });

  after(async () => {
    for (const connection of open) connection.destroy();
    await aggregator.kill();
    for (const leaf of leaves) await leaf.close();
    await rm(home, { recursive: true, force: true });
  });

  it('drops them from the leaves when the client disconnects', async () => {
    const connection = await connect();
    await createSome(connection);
    // The reference table is on both leaves, the others on every partition.
    assert.equal((await engineTables(leaves)).length, 2 + PARTITIONS * 2);
    assert.deepEqual(await catalogTemporaries(aggregatorHome()), ['c', 'f', 'r']);
    await connection.end();
    await until(async () => (await engineTables(leaves)).length === 0, 'the tables are gone');
    assert.deepEqual(await catalogTemporaries(aggregatorHome()), []);
  });

  it('drops them when the socket is cut, and when KILL CONNECTION ends the session', async () => {
    const cut = await connect();
    await createSome(cut);
    cut.destroy();
    await until(async () => (await engineTables(leaves)).length === 0, 'the cut session ends');
    const killed = await connect();
    await createSome(killed);
    const [[row]] = await killed.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    const other = await connect();
    await other.query(`KILL CONNECTION ${String(row?.['id'])}`);
    await until(async () => (await engineTables(leaves)).length === 0, 'the killed session ends');
    assert.deepEqual(await catalogTemporaries(aggregatorHome()), []);
  });

  it('drops what a killed aggregator left when it starts again, before serving', async () => {
    const connection = await connect();
    await createSome(connection);
    await aggregator.kill();
    assert.equal((await engineTables(leaves)).length, 2 + PARTITIONS * 2);
    assert.deepEqual(await catalogTemporaries(aggregatorHome()), ['c', 'f', 'r']);
    aggregator = await startAggregator();
    assert.deepEqual(await engineTables(leaves), []);
    assert.deepEqual(await catalogTemporaries(aggregatorHome()), []);
    const again = await connect();
    const [tables] = await again.query<RowDataPacket[]>({ sql: 'SHOW TABLES', rowsAsArray: true });
    assert.deepEqual(tables, []);
    await again.query('CREATE TEMPORARY TABLE c (a INT)');
    const [rows] = await again.query<RowDataPacket[]>({
      sql: 'SELECT * FROM c',
      rowsAsArray: true,
    });
    assert.deepEqual(rows, []);
  });
});
