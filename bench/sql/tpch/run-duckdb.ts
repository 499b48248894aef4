// TPC-H on DuckDB directly, in this process: the reference target. Tables are created from the
// schema, filled from the .tbl files with read_csv, and the 22 queries run as written (DuckDB
// accepts the MySQL-dialect text used here; `toDuckdb` is where any difference would be mended).
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { TpchData } from './generate.js';
import {
  bestOf,
  runOpened,
  type Cell,
  type ResultSet,
  type RunOptions,
  type TargetReport,
  type TargetSession,
} from './result.js';
import { tables, tpchDdl } from './schema.js';

/** The query text for DuckDB. The MySQL spellings used by the queries all work there as is. */
export function toDuckdb(sql: string): string {
  return sql;
}

function cellOf(value: DuckDBValue): Cell {
  if (value === null || typeof value !== 'object') return value;
  // Decimals, dates and timestamps print as SQL literals ('123.45', '1995-03-15').
  return String(value);
}

export async function duckdbResult(connection: DuckDBConnection, sql: string): Promise<ResultSet> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(cellOf)) };
}

/** Loads the tables into `connection` with read_csv. */
export async function loadDuckdb(connection: DuckDBConnection, data: TpchData): Promise<void> {
  const statements = tpchDdl('duckdb');
  for (const [index, table] of tables.entries()) {
    await connection.run(statements[index] as string);
    const columns = table.columns
      .map(([name, type]) => `'${name}': '${type.replace(' NOT NULL', '')}'`)
      .join(', ');
    await connection.run(
      `insert into ${table.name} select * from read_csv('${data.files[table.name]}', delim = '|', ` +
        `header = false, auto_detect = false, columns = {${columns}})`,
    );
  }
}

export interface DuckdbRunOptions extends RunOptions {
  readonly data: TpchData;
  /** Database file; in memory when omitted. */
  readonly path?: string;
}

export function runDuckdb(options: DuckdbRunOptions): Promise<TargetReport> {
  return runOpened(openDuckdb(options), options.data.sf, options);
}

/** DuckDB loaded in this process, ready to run queries. */
export async function openDuckdb(options: DuckdbRunOptions): Promise<TargetSession> {
  const instance = await DuckDBInstance.create(options.path ?? ':memory:');
  const connection = await instance.connect();
  const loadStarted = performance.now();
  try {
    await loadDuckdb(connection, options.data);
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  return {
    target: 'duckdb',
    loadMs: performance.now() - loadStarted,
    run: async (query) => {
      try {
        const { bestMs, value } = await bestOf(options.runs, () =>
          duckdbResult(connection, toDuckdb(query.sql)),
        );
        return { number: query.number, status: 'ok', bestMs, result: value };
      } catch (error) {
        return { number: query.number, status: 'error', error: (error as Error).message };
      }
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
      return Promise.resolve();
    },
  };
}
