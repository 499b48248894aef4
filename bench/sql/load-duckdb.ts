// The bulk load benchmark's ceiling (load.ts, target `duckdb`): DuckDB itself, in this process,
// with a database file and every core, loading the same file into the same table (primary key
// included unless --keyless) with one read_csv INSERT, and the same multi-row INSERT texts.
// No protocol, no network, no partitioning: what the columnstore engine does on this machine.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOAD_TABLE } from './load-data.js';

/** DuckDB's spelling of the lineitem-like table of `loadTableDdl`. */
function duckdbDdl(table: string, keyless: boolean): string {
  const columns = [
    'l_orderkey BIGINT NOT NULL',
    'l_partkey INTEGER NOT NULL',
    'l_suppkey INTEGER NOT NULL',
    'l_linenumber INTEGER NOT NULL',
    'l_quantity DECIMAL(15,2) NOT NULL',
    'l_extendedprice DECIMAL(15,2) NOT NULL',
    'l_discount DECIMAL(15,2) NOT NULL',
    'l_tax DECIMAL(15,2) NOT NULL',
    'l_returnflag VARCHAR NOT NULL',
    'l_linestatus VARCHAR NOT NULL',
    'l_shipdate DATE NOT NULL',
    'l_commitdate DATE NOT NULL',
    'l_receiptdate DATE NOT NULL',
    'l_shipinstruct VARCHAR NOT NULL',
    'l_shipmode VARCHAR NOT NULL',
    'l_comment VARCHAR NOT NULL',
  ];
  if (!keyless) columns.push('PRIMARY KEY (l_orderkey, l_linenumber)');
  return `CREATE TABLE ${table} (${columns.join(', ')})`;
}

/** The read_csv column list for the file (LOAD DATA's default format: tabs, `\N` for NULL). */
function csvColumns(): string {
  const types = [
    'BIGINT',
    'INTEGER',
    'INTEGER',
    'INTEGER',
    ...Array<string>(4).fill('DECIMAL(15,2)'),
    'VARCHAR',
    'VARCHAR',
    'DATE',
    'DATE',
    'DATE',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
  ];
  return types.map((type, index) => `'c${index}': '${type}'`).join(', ');
}

export interface DuckdbLoadFigures {
  readonly loadRowsPerS: number;
  readonly insertRowsPerS: number;
}

export async function duckdbLoad(options: {
  readonly file: string;
  readonly rows: number;
  readonly keyless: boolean;
  /** The INSERT statements, each as Exosphere and MariaDB receive it. */
  readonly inserts: Iterable<{ readonly sql: string; readonly rows: number }>;
}): Promise<DuckdbLoadFigures> {
  const folder = await mkdtemp(join(tmpdir(), 'exo-bench-duckdb-load-'));
  const instance = await DuckDBInstance.create(join(folder, 'load.duckdb'), {
    threads: String(availableParallelism()),
  });
  const connection = await instance.connect();
  try {
    await connection.run(duckdbDdl(LOAD_TABLE, options.keyless));
    const loadStarted = performance.now();
    await connection.run(
      `INSERT INTO ${LOAD_TABLE} SELECT * FROM read_csv('${options.file}', delim = '\t', ` +
        `header = false, quote = '', escape = '', nullstr = '\\N', auto_detect = false, ` +
        `columns = {${csvColumns()}})`,
    );
    const loadRowsPerS = options.rows / ((performance.now() - loadStarted) / 1000);

    await connection.run(duckdbDdl(`${LOAD_TABLE}_insert`, options.keyless));
    let insertMs = 0;
    let inserted = 0;
    for (const insert of options.inserts) {
      const started = performance.now();
      await connection.run(insert.sql);
      insertMs += performance.now() - started;
      inserted += insert.rows;
    }
    return { loadRowsPerS, insertRowsPerS: inserted / (insertMs / 1000) };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  }
}
