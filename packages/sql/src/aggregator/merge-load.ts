/**
 * Loading a merge-engine table from JavaScript values (`merge-engine.ts`). DuckDB's appender
 * casts each value whose kind differs from its column's type one by one, 10 to 20 times slower
 * than it appends a value of the column's own type, so such columns go through a staging table
 * in the values' own types and one INSERT … SELECT with casts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { appendDuckValue } from '../storage/duckdb-values.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import type { SqlValue } from '../values.js';
import type { MergeTable } from './merge-engine.js';
import { duckZeroDate, holdsZeroDate } from './merge-zero-date.js';

export async function createTable(connection: DuckDBConnection, table: MergeTable): Promise<void> {
  const columns = table.columns
    .map((column) => `${quoteEngineIdentifier(column.name)} ${column.engineType}`)
    .join(', ');
  await connection.run(`CREATE TEMP TABLE ${quoteEngineIdentifier(table.name)} (${columns})`);
}

export async function loadValues(connection: DuckDBConnection, table: MergeTable): Promise<void> {
  const inline = inlineValues(table);
  if (inline !== undefined) {
    await connection.run(inline);
    return;
  }
  await createTable(connection, table);
  if (table.rows.length === 0) return;
  // The appender casts each value whose kind differs from its column's type one by one, 10 to
  // 20 times slower than it appends a value of the column's own type (100 ms for a sub-plan's
  // 10,000 rows of INTEGER keys and DECIMAL sums): such columns are appended to a staging
  // table in the values' own type and cast by one INSERT … SELECT.
  const staged = table.columns.map((column, index) => stagedType(column.engineType, table, index));
  if (staged.every((type) => type === undefined)) {
    await append(connection, table.name, table.rows);
    return;
  }
  const stage = `${table.name}${STAGE_SUFFIX}`;
  await createTable(connection, {
    ...table,
    name: stage,
    columns: table.columns.map((column, index) => ({
      name: column.name,
      engineType: staged[index] ?? column.engineType,
    })),
  });
  await append(connection, stage, table.rows);
  const items = table.columns.map((column, index) => {
    const name = quoteEngineIdentifier(column.name);
    if (staged[index] === undefined) return name;
    const narrow = narrowDecimal(column.engineType, table, index);
    const target = baseType(column.engineType);
    if (holdsZeroDate(target, table, index)) return `CAST(${duckZeroDate(name)} AS ${target})`;
    return narrow === undefined
      ? `CAST(${name} AS ${target})`
      : `CAST(CAST(${name} AS ${narrow}) AS ${target})`;
  });
  await connection.run(
    `INSERT INTO temp.main.${quoteEngineIdentifier(table.name)} SELECT ${items.join(', ')} FROM temp.main.${quoteEngineIdentifier(stage)}`,
  );
  await connection.run(`DROP TABLE temp.main.${quoteEngineIdentifier(stage)}`);
}

/** The most rows a table is written into its view's text (`inlineValues`). */
const INLINE_ROWS_MAX = 64;
const INLINE_TYPE =
  /^(?:U?(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|DOUBLE|DECIMAL\(\d+,\s*\d+\)|VARCHAR(?: COLLATE \w+)?)$/i;

/**
 * A few rows of numbers and text (a stage's partial aggregates) as a view over a VALUES list,
 * each value written as text and cast to its column's type as DuckDB casts text (exactly: a
 * DOUBLE is read back from its shortest form): 1.5 ms less per merge than a table filled
 * through the appender (3.5 ms for 4 rows). `undefined` for anything else.
 */
function inlineValues(table: MergeTable): string | undefined {
  const { rows, columns } = table;
  if (rows.length === 0 || rows.length > INLINE_ROWS_MAX) return undefined;
  if (!columns.every((column) => INLINE_TYPE.test(column.engineType))) return undefined;
  const tuples: string[] = [];
  for (const row of rows) {
    const items: string[] = [];
    for (let index = 0; index < columns.length; index += 1) {
      const value = row[index] ?? null;
      // Text columns take text only: a number's text is the engine's to write.
      if (
        typeof value !== 'string' &&
        value !== null &&
        /^VARCHAR/i.test(columns[index]?.engineType ?? '')
      )
        return undefined;
      const text = valueText(value);
      if (text === undefined) return undefined;
      items.push(text);
    }
    tuples.push(`(${items.join(', ')})`);
  }
  const names = columns.map((_column, index) => `exo_v${index + 1}`);
  const items = columns.map((column, index) => castToColumn(`exo_v${index + 1}`, column));
  return `CREATE TEMP VIEW ${quoteEngineIdentifier(table.name)} AS SELECT ${items.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS exo_values(${names.join(', ')})`;
}

/** A value as a VARCHAR literal (or NULL), or undefined for one not written this way. */
function valueText(value: SqlValue): string | undefined {
  if (value === null) return 'CAST(NULL AS VARCHAR)';
  if (typeof value === 'bigint') return `'${value}'`;
  if (typeof value === 'number')
    return Number.isFinite(value) && !Object.is(value, -0) ? `'${String(value)}'` : undefined;
  if (typeof value === 'string' && !value.includes('\u0000'))
    return `'${value.replaceAll("'", "''")}'`;
  return undefined;
}

/** Names the staging table of a table whose values are loaded in their own types. */
const STAGE_SUFFIX = '_exo_stage';
const STAGED_KINDS: ReadonlySet<string> = new Set(['BIGINT', 'DOUBLE', 'VARCHAR']);

/**
 * The type a column is staged in: the one DuckDB type `appendDuckValue` appends all its values
 * as, when that differs from the column's `engineType`; `undefined` to append directly (values
 * of several kinds, a type the appender treats apart such as INTERVAL, or no values).
 */
function stagedType(engineType: string, table: MergeTable, index: number): string | undefined {
  if (/INTERVAL/i.test(engineType)) return undefined;
  const base = baseType(engineType);
  let kind: string | undefined;
  for (const row of table.rows) {
    const value = row[index] ?? null;
    if (value === null) continue;
    const next = appendedKind(value);
    if (kind !== undefined && next !== kind) return undefined;
    kind = next;
  }
  return kind !== undefined && kind !== base && STAGED_KINDS.has(kind) ? kind : undefined;
}

const DECIMAL_TYPE = /^DECIMAL\((\d+),\s*(\d+)\)$/i;
/** The widest DECIMAL DuckDB keeps in 64 bits. */
const DECIMAL_64_DIGITS = 18;

/**
 * For a DECIMAL column wider than 64 bits whose text values are all plain numbers that fit 18
 * digits at its scale, the 64-bit DECIMAL to read them through: DuckDB casts text to a 128-bit
 * DECIMAL 50 times slower than to a 64-bit one, and the widening cast after it is exact.
 */
function narrowDecimal(engineType: string, table: MergeTable, index: number): string | undefined {
  const match = DECIMAL_TYPE.exec(engineType);
  if (match === null) return undefined;
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  if (precision <= DECIMAL_64_DIGITS || scale >= DECIMAL_64_DIGITS) return undefined;
  const plain =
    scale === 0
      ? new RegExp(`^-?\\d{1,${DECIMAL_64_DIGITS}}$`)
      : new RegExp(`^-?\\d{1,${DECIMAL_64_DIGITS - scale}}(?:\\.\\d{1,${scale}})?$`);
  const fits = table.rows.every((row) => {
    const value = row[index] ?? null;
    return value === null || (typeof value === 'string' && plain.test(value));
  });
  return fits ? `DECIMAL(${DECIMAL_64_DIGITS},${scale})` : undefined;
}

/**
 * `source` cast to a merge-table column, named as it: a text column's collation (`VARCHAR
 * COLLATE NOCASE`) goes on the cast value, whose type then carries it as the table's would.
 */
export function castToColumn(
  source: string,
  column: { readonly name: string; readonly engineType: string },
): string {
  const collation = /\s+COLLATE\s+\S+$/i.exec(column.engineType)?.[0] ?? '';
  return `CAST(${source} AS ${baseType(column.engineType)})${collation} AS ${quoteEngineIdentifier(column.name)}`;
}

/** A column's DuckDB type without its collation (a cast names no collation). */
function baseType(engineType: string): string {
  return engineType.replace(/\s+COLLATE\s+\S+$/i, '');
}

/** The DuckDB type `appendDuckValue` appends a non-null value as. */
function appendedKind(value: Exclude<SqlValue, null>): string {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? 'BIGINT' : 'DOUBLE';
  if (typeof value === 'bigint')
    return value >= -(2n ** 63n) && value < 2n ** 63n ? 'BIGINT' : 'HUGEINT';
  return typeof value === 'string' ? 'VARCHAR' : 'BLOB';
}

async function append(
  connection: DuckDBConnection,
  name: string,
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  const appender = await connection.createAppender(name, 'main', 'temp');
  for (const row of rows) {
    for (const value of row) appendDuckValue(appender, value);
    appender.endRow();
  }
  appender.closeSync();
}
