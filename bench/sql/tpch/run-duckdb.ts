// TPC-H on DuckDB directly, in this process: the reference target. Tables are created from the
// schema, filled from the .tbl files with read_csv, and the 22 queries run as written (DuckDB
// accepts the MySQL-dialect text used here; `toDuckdb` is where any difference would be mended).
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { TpchData } from './generate.js';
import { tpchQueries } from './queries.js';
import {
  bestOf,
  type Cell,
  type QueryOutcome,
  type ResultSet,
  type RunOptions,
  type TargetReport,
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

export async function runDuckdb(options: DuckdbRunOptions): Promise<TargetReport> {
  const instance = await DuckDBInstance.create(options.path ?? ':memory:');
  const connection = await instance.connect();
  try {
    const loadStarted = performance.now();
    await loadDuckdb(connection, options.data);
    const loadMs = performance.now() - loadStarted;
    const outcomes: QueryOutcome[] = [];
    for (const query of tpchQueries(options.data.sf)) {
      if (options.only && !options.only.includes(query.number)) continue;
      let outcome: QueryOutcome;
      try {
        const { bestMs, value } = await bestOf(options.runs, () =>
          duckdbResult(connection, toDuckdb(query.sql)),
        );
        outcome = { number: query.number, status: 'ok', bestMs, result: value };
      } catch (error) {
        outcome = { number: query.number, status: 'error', error: (error as Error).message };
      }
      outcomes.push(outcome);
      options.onQuery?.(outcome);
    }
    return { target: 'duckdb', loadMs, queries: outcomes };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
