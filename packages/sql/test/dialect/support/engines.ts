/** Runs translated SQL on DuckDB and SQLite and prints results in MySQL's text form. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import type { ColumnMeta } from '../../../src/values.js';
import { registerDuckFunctions, registerSqliteFunctions } from '../../../src/dialect/index.js';
import { fixedText } from '../../../src/number-text.js';
import { fixedDecimals } from '../../../src/protocol/column-definition.js';
import { setupStatements } from './fixtures.js';
import { cellText } from './slt.js';

export interface Engines {
  duckdb: DuckDBConnection;
  sqlite: Database.Database;
  close(): void;
}

export async function openEngines(): Promise<Engines> {
  const instance = await DuckDBInstance.create(':memory:');
  const duckdb = await instance.connect();
  registerDuckFunctions(duckdb);
  for (const statement of setupStatements('duckdb')) await duckdb.run(statement);
  const sqlite = new Database(':memory:');
  registerSqliteFunctions(sqlite);
  for (const statement of setupStatements('sqlite')) sqlite.exec(statement);
  return {
    duckdb,
    sqlite,
    close() {
      duckdb.closeSync();
      instance.closeSync();
      sqlite.close();
    },
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** MySQL's text for one value of a column of the given type. */
export function mysqlText(value: unknown, column: ColumnMeta): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  switch (column.type as string) {
    case 'decimal': {
      const scale = column.scale ?? 0;
      if (typeof value === 'string') return value;
      const n = Number(value);
      return n.toFixed(scale);
    }
    case 'double':
    case 'float': {
      const n = Number(value);
      const fixed = fixedDecimals(column);
      if (fixed !== undefined) return fixedText(n, fixed);
      if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
      return String(n).replace('e+', 'e');
    }
    case 'date':
      if (value instanceof Date)
        return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
      return plain(value).slice(0, 10);
    case 'datetime':
    case 'timestamp': {
      if (value instanceof Date) {
        const base = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
        return base;
      }
      return plain(value);
    }
    case 'time': {
      // DuckDB writes an INTERVAL's fraction without trailing zeros; the leaf writes a TIME with
      // exactly its column's digits (storage/duckdb-values.ts).
      const [clock = '', fraction = ''] = plain(value).split('.');
      const scale = column.scale ?? 0;
      return scale === 0 ? clock : `${clock}.${fraction.padEnd(scale, '0').slice(0, scale)}`;
    }
    default:
      if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
      return plain(value);
  }
}

function duckValueText(value: unknown, column: ColumnMeta): string | null {
  if (value === null) return null;
  // The zero date is DATE '-infinity' in DuckDB; the leaf writes it as its text (zero-date.ts).
  if (typeof value === 'object' && (value as { days?: number }).days === -2147483647)
    return '0000-00-00';
  if (
    typeof value === 'object' &&
    value !== null &&
    'toString' in value &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    return mysqlText((value as { toString(): string }).toString(), column);
  }
  return mysqlText(value, column);
}

export async function runDuckdb(
  engines: Engines,
  sql: string,
  columns: readonly ColumnMeta[],
): Promise<string[]> {
  const reader = await engines.duckdb.runAndReadAll(sql);
  const rows = reader.getRows();
  return rows.map((row) =>
    row
      .map((v, i) =>
        cellText(
          duckValueText(
            typeof v === 'bigint' ? v.toString() : v,
            columns[i] ?? { name: '', type: 'varchar' },
          ),
        ),
      )
      .join('\t'),
  );
}

export function runSqlite(engines: Engines, sql: string, columns: readonly ColumnMeta[]): string[] {
  const statement = engines.sqlite.prepare(sql).raw(true);
  statement.safeIntegers(true);
  const rows = statement.all() as unknown[][];
  return rows.map((row) =>
    row
      .map((v, i) =>
        cellText(
          mysqlText(
            typeof v === 'bigint' ? v.toString() : v,
            columns[i] ?? { name: '', type: 'varchar' },
          ),
        ),
      )
      .join('\t'),
  );
}
