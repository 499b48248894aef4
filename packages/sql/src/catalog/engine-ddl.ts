/**
 * The engine statements that create a table in a partition: DuckDB for columnstore tables,
 * SQLite for rowstore tables. Defaults, AUTO_INCREMENT and type checks are applied by the
 * aggregator before rows reach a partition, so engine columns carry only types, NOT NULL and
 * unique constraints (which each engine enforces inside its partition).
 *
 * Non-unique keys become SQLite indexes on rowstore tables. Columnstore tables get none:
 * DuckDB's zone maps serve scans, and its ART indexes would slow every bulk load. Their keys
 * with a text column get a unique *fold index* each (`folded-keys.ts`), so they compare as
 * MariaDB's collation does.
 */
import { duckdbType, sqliteType } from './column-type.js';
import { integerColumnRange } from './coerce.js';
import { foldedKeys, foldSql, isTextColumn, type UniqueKey } from './folded-keys.js';
import type { ColumnDef, StorageKind, TableDef } from './types.js';

export function quoteEngineIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function engineColumnType(storage: StorageKind, column: ColumnDef): string {
  return storage === 'column' ? duckdbType(column) : sqliteType(column);
}

/** The name of a rowstore column's range check; engine-errors.ts turns its failure into 1264. */
export const RANGE_CHECK_PREFIX = 'exo_range__';

/** Names a CHECK constraint in the engines' constraint errors (`aggregator/ddl-checks.ts`). */
export const CHECK_PREFIX = 'exo_check__';

/** A column as the engine table declares it: type, NOT NULL, a rowstore integer's range check. */
export function engineColumn(storage: StorageKind, column: ColumnDef): string {
  const type = engineColumnType(storage, column);
  const name = quoteEngineIdentifier(column.name);
  return `${name} ${type}${column.nullable ? '' : ' NOT NULL'}${rangeCheck(storage, column)}`;
}

/**
 * SQLite keeps every integer in 64 bits, so a value computed on a leaf (`SET a = a * 100`,
 * INSERT … SELECT) could leave a TINYINT out of its range; DuckDB's typed columns refuse such
 * values themselves. Values from the aggregator are checked before they arrive.
 */
/** The largest integer SQLite stores as one. */
const SQLITE_INTEGER_MAX = 9223372036854775807n;

function rangeCheck(storage: StorageKind, column: ColumnDef): string {
  const range = storage === 'row' ? integerColumnRange(column) : undefined;
  if (range === undefined) return '';
  const name = quoteEngineIdentifier(column.name);
  const check = quoteEngineIdentifier(`${RANGE_CHECK_PREFIX}${column.name}`);
  // SQLite's integers stop at 2^63 - 1: a larger computed value would be kept as a rounded
  // double, so it is refused as out of range instead (writes of one are refused before).
  const max = range[1] > SQLITE_INTEGER_MAX ? SQLITE_INTEGER_MAX : range[1];
  return ` CONSTRAINT ${check} CHECK (${name} BETWEEN ${range[0]} AND ${max})`;
}

export function createTableStatements(table: TableDef): string[] {
  const name = quoteEngineIdentifier(table.name);
  const parts = table.columns.map((column) => engineColumn(table.storage, column));
  const list = (columns: readonly string[]): string =>
    columns.map(quoteEngineIdentifier).join(', ');
  if (table.primaryKey.length > 0) parts.push(`PRIMARY KEY (${list(table.primaryKey)})`);
  for (const key of table.keys) {
    if (key.unique) parts.push(`UNIQUE (${list(key.columns)})`);
  }
  for (const check of table.checks ?? [])
    if (check.engineSql !== undefined) parts.push(check.engineSql);
  const statements = [`CREATE TABLE IF NOT EXISTS ${name} (${parts.join(', ')})`];
  if (table.storage === 'row') {
    for (const key of table.keys) {
      if (!key.unique) statements.push(createIndexStatement(table, key.name, key.columns));
    }
  }
  return [...statements, ...createFoldIndexStatements(table)];
}

function foldIndexName(table: TableDef, key: UniqueKey): string {
  return quoteEngineIdentifier(`exo_fold__${table.name}__${key.name}`);
}

/** The table's fold indexes (none but for a columnstore key with a text column). */
export function createFoldIndexStatements(table: TableDef): string[] {
  return foldedKeys(table).map((key) => {
    const parts = key.columns.map((column) => {
      const name = quoteEngineIdentifier(column.name);
      return isTextColumn(column) ? `(${foldSql(name)})` : name;
    });
    return `CREATE UNIQUE INDEX IF NOT EXISTS ${foldIndexName(table, key)} ON ${quoteEngineIdentifier(table.name)} (${parts.join(', ')})`;
  });
}

export function dropFoldIndexStatements(table: TableDef): string[] {
  return foldedKeys(table).map((key) => `DROP INDEX IF EXISTS ${foldIndexName(table, key)}`);
}

/**
 * Engine ALTERs DuckDB refuses while an index depends on the table (RENAME TABLE, RENAME or
 * DROP COLUMN, ALTER COLUMN TYPE): the fold indexes of `before` are dropped first and those of
 * `after` made again once the ALTERs ran.
 */
export function aroundFoldIndexes(
  before: TableDef,
  after: TableDef,
  statements: readonly string[],
): string[] {
  return [...dropFoldIndexStatements(before), ...statements, ...createFoldIndexStatements(after)];
}

export function createIndexStatement(
  table: TableDef,
  index: string,
  columns: readonly string[],
): string {
  const engineIndex = quoteEngineIdentifier(`${table.name}__${index}`);
  const list = columns.map(quoteEngineIdentifier).join(', ');
  return `CREATE INDEX IF NOT EXISTS ${engineIndex} ON ${quoteEngineIdentifier(table.name)} (${list})`;
}

export function dropIndexStatement(table: TableDef, index: string): string {
  return `DROP INDEX IF EXISTS ${quoteEngineIdentifier(`${table.name}__${index}`)}`;
}

export function dropTableStatement(table: TableDef): string {
  return `DROP TABLE IF EXISTS ${quoteEngineIdentifier(table.name)}`;
}

export function truncateTableStatement(table: TableDef): string {
  return `DELETE FROM ${quoteEngineIdentifier(table.name)}`;
}

/** `ALTER TABLE ADD COLUMN`; `defaultLiteral` is engine SQL for existing rows' value (or NULL). */
export function addColumnStatement(
  table: TableDef,
  column: ColumnDef,
  defaultLiteral: string | undefined,
): string {
  const type = engineColumnType(table.storage, column);
  const fill = defaultLiteral === undefined ? '' : ` DEFAULT ${defaultLiteral}`;
  // Engines refuse ADD COLUMN ... NOT NULL without a default; the aggregator enforces NOT NULL
  // on every write anyway, so the engine column stays nullable when no default fills old rows.
  const notNull =
    !column.nullable && defaultLiteral !== undefined && table.storage === 'row' ? ' NOT NULL' : '';
  return `ALTER TABLE ${quoteEngineIdentifier(table.name)} ADD COLUMN ${quoteEngineIdentifier(column.name)} ${type}${notNull}${fill}`;
}

export function dropColumnStatement(table: TableDef, column: string): string {
  return `ALTER TABLE ${quoteEngineIdentifier(table.name)} DROP COLUMN ${quoteEngineIdentifier(column)}`;
}

export function renameTableStatement(from: string, to: string): string {
  return `ALTER TABLE ${quoteEngineIdentifier(from)} RENAME TO ${quoteEngineIdentifier(to)}`;
}

export function renameColumnStatement(table: TableDef, from: string, to: string): string {
  return `ALTER TABLE ${quoteEngineIdentifier(table.name)} RENAME COLUMN ${quoteEngineIdentifier(from)} TO ${quoteEngineIdentifier(to)}`;
}
