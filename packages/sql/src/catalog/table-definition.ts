/**
 * CREATE TABLE → the catalog's TableDef, with MySQL's and SingleStore's rules:
 * - primary-key columns become NOT NULL; one primary key at most (1068);
 * - key columns must exist (1072); one AUTO_INCREMENT column, and it must be a key (1075);
 * - the shard key defaults to the primary key; `SHARD KEY ()` or no key at all → keyless;
 * - every unique key (the primary key included) must contain all shard-key columns, because
 *   uniqueness is enforced inside one partition (reference tables are exempt: every leaf has
 *   every row).
 */
import type {
  ColumnDef as AstColumnDef,
  CreateTableStatement,
  IndexColumn,
  IndexDef,
  Expr,
} from '../parser/ast.js';
import { formatExpr } from '../parser/index.js';
import { checkExpressionDefault, isExpressionDefault } from './column-default.js';
import { sqlError } from '../errors.js';
import { resolveColumnType } from './column-type.js';
import { coerceValue, NUMERIC_COLUMN_TYPES } from './coerce.js';
import { hasFixedDecimals } from './double-fit.js';
import { fixedText } from '../number-text.js';
import type { ColumnDef, KeyDef, StorageKind, TableDef } from './types.js';

export const IDENTIFIER_LENGTH_MAX = 64;

export interface TableDefinitionContext {
  readonly database: string;
  readonly id: number;
  readonly nowMs: number;
}

export function tableDefinition(
  statement: CreateTableStatement,
  context: TableDefinitionContext,
): TableDef {
  checkIdentifier(statement.name, 'table');
  const columns = statement.columns.map(columnDefinition);
  const names = new Set<string>();
  for (const column of columns) {
    const folded = column.name.toLowerCase();
    if (names.has(folded))
      throw sqlError('DUP_FIELDNAME', `Duplicate column name '${column.name}'`);
    names.add(folded);
  }
  const canonical = (name: string): string => {
    const found = columns.find((column) => column.name.toLowerCase() === name.toLowerCase());
    if (found === undefined)
      throw sqlError('KEY_COLUMN_DOES_NOT_EXIST', `Key column '${name}' doesn't exist in table`);
    return found.name;
  };

  const columnPrimary = statement.columns
    .filter((column) => column.primaryKey === true)
    .map((column) => column.name);
  if (
    columnPrimary.length > 1 ||
    (columnPrimary.length === 1 && statement.primaryKey !== undefined)
  ) {
    throw sqlError('MULTIPLE_PRI_KEY', 'Multiple primary key defined');
  }
  const primaryKey = (
    statement.primaryKey ? indexColumns(statement.primaryKey) : columnPrimary
  ).map(canonical);

  const keys: KeyDef[] = [];
  const keyNames = new Set<string>(['primary']);
  const addKey = (index: IndexDef, unique: boolean): void => {
    const keyColumns = indexColumns(index).map(canonical);
    const name = uniqueKeyName(
      index.name ?? keyColumns[0] ?? 'key',
      keyNames,
      index.name !== undefined,
    );
    keys.push({
      name,
      columns: keyColumns,
      unique,
      ...(index.using ? { using: index.using } : {}),
      ...keyPrefixes(index.columns),
    });
  };
  for (const column of statement.columns) {
    if (column.unique === true) addKey({ columns: [{ name: column.name }] }, true);
  }
  for (const index of statement.uniqueKeys) addKey(index, true);
  for (const index of statement.indexes) {
    if (index.fulltext !== true) addKey(index, false);
  }

  const withKeys = columns.map((column) =>
    primaryKey.includes(column.name) ? { ...column, nullable: false } : column,
  );
  const autoColumns = withKeys.filter((column) => column.autoIncrement === true);
  const isKeyed = (name: string): boolean =>
    primaryKey[0] === name || keys.some((key) => key.columns[0] === name);
  if (autoColumns.length > 1 || autoColumns.some((column) => !isKeyed(column.name))) {
    throw sqlError(
      'WRONG_AUTO_KEY',
      'Incorrect table definition; there can be only one auto column and it must be defined as a key',
    );
  }

  const reference = statement.reference;
  // The shard key defaults to the primary key, else to the first unique key (as InnoDB
  // clusters on it), so a table with only a UNIQUE column keeps its uniqueness exact.
  const defaultShardKey =
    primaryKey.length > 0 ? primaryKey : (keys.find((key) => key.unique)?.columns ?? []);
  const shardKey = reference ? [] : (statement.shardKey ?? defaultShardKey).map(canonical);
  if (!reference) {
    const uniques = [
      ...(primaryKey.length > 0 ? [{ name: 'PRIMARY', columns: primaryKey }] : []),
      ...keys.filter((key) => key.unique),
    ];
    for (const unique of uniques) {
      const covered =
        shardKey.length > 0 && shardKey.every((column) => unique.columns.includes(column));
      if (!covered) {
        throw sqlError(
          'UNIQUE_KEY_NEEDS_SHARD_KEY',
          `The unique key named '${unique.name}' must contain all columns specified in the shard key ` +
            `(${shardKey.length > 0 ? shardKey.join(', ') : 'the table is keyless'}): uniqueness is ` +
            'enforced within one partition. Add the shard key columns to the unique key, choose a ' +
            'SHARD KEY that is a subset of it, or make the table a REFERENCE table',
        );
      }
    }
  }
  if (statement.columns.some((column) => column.generated !== undefined)) {
    throw sqlError('NOT_SUPPORTED', 'Generated columns are not supported');
  }
  const storage: StorageKind = statement.rowstore ? 'row' : 'column';
  const comment = statement.options['COMMENT'];
  return {
    database: context.database,
    name: statement.name,
    storage,
    reference,
    columns: withKeys,
    primaryKey,
    keys,
    shardKey,
    sortKey: (statement.sortKey ?? []).map((column) => canonical(column.name)),
    ...(comment !== undefined ? { comment } : {}),
    id: context.id,
    createdAtMs: context.nowMs,
  };
}

export function columnDefinition(column: AstColumnDef): ColumnDef {
  checkIdentifier(column.name, 'column');
  const resolved = resolveColumnType(column.type, column.name);
  const nullable = column.notNull !== true && column.primaryKey !== true;
  const defaultSql =
    column.default === undefined
      ? undefined
      : columnDefaultSql({ name: column.name, ...resolved, nullable }, column.default);
  const onUpdate = column.onUpdate !== undefined;
  return {
    name: column.name,
    ...resolved,
    nullable,
    ...(defaultSql !== undefined ? { defaultSql } : {}),
    ...(column.autoIncrement === true ? { autoIncrement: true } : {}),
    ...(onUpdate ? { onUpdateCurrentTimestamp: true } : {}),
    ...(column.comment !== undefined ? { comment: column.comment } : {}),
  };
}

/** A DEFAULT clause as the catalog keeps it (`ColumnDef.defaultSql`); undefined for NULL. */
export function columnDefaultSql(column: ColumnDef, value: Expr): string | undefined {
  if (value.kind === 'literal' && value.type === 'null' && !column.nullable)
    throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
  return numericDefault(column, value) ?? defaultText(column.name, value);
}

const NUMERIC_LITERALS: ReadonlySet<string> = new Set(['int', 'decimal', 'double', 'bool']);

/**
 * A numeric literal default of a numeric column, stored as the column holds it (as MySQL
 * shows it): TRUE → 1, 1.5 in DECIMAL(5,2) → 1.50; one that does not fit → 1067.
 */
function numericDefault(column: ColumnDef, value: Expr): string | undefined {
  if (value.kind !== 'literal' || !NUMERIC_COLUMN_TYPES.has(column.type)) return undefined;
  // Text for a number column must read as one ('0' does, 'abc' is 1067); it is kept as written.
  if (
    value.type === 'string' &&
    typeof value.value === 'string' &&
    !column.mysqlType.startsWith('bit')
  ) {
    try {
      coerceValue(value.value, column, 0);
    } catch {
      throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
    }
    return undefined;
  }
  if (!NUMERIC_LITERALS.has(value.type)) return undefined;
  const literal = typeof value.value === 'boolean' ? (value.value ? 1 : 0) : value.value;
  if (typeof literal !== 'number' && typeof literal !== 'bigint' && typeof literal !== 'string')
    return undefined;
  try {
    const stored = coerceValue(value.raw ?? literal, column, 0);
    // DOUBLE(M,D) and FLOAT(M,D) show their default with D decimals (DEFAULT 0.00).
    if (typeof stored === 'number' && hasFixedDecimals(column))
      return fixedText(column.type === 'float' ? Math.fround(stored) : stored, column.scale ?? 0);
    return String(stored);
  } catch {
    throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
  }
}

function defaultText(column: string, value: Expr): string | undefined {
  if (value.kind === 'literal' && value.type === 'null') return undefined;
  if (value.kind === 'column' || value.kind === 'star') {
    throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column}'`);
  }
  const sql = formatExpr(value);
  if (isExpressionDefault(sql)) checkExpressionDefault(column, value);
  return sql;
}

/** A key's `prefixes` (`KeyDef`), as a property to spread: none when no column has a length. */
export function keyPrefixes(parts: readonly IndexColumn[]): {
  readonly prefixes?: readonly (number | null)[];
} {
  return parts.some((part) => part.length !== undefined)
    ? { prefixes: parts.map((part) => part.length ?? null) }
    : {};
}

function indexColumns(index: IndexDef): string[] {
  return index.columns.map((column) => column.name);
}

function uniqueKeyName(wanted: string, taken: Set<string>, explicit: boolean): string {
  if (explicit) {
    if (taken.has(wanted.toLowerCase()))
      throw sqlError('DUP_KEYNAME', `Duplicate key name '${wanted}'`);
    taken.add(wanted.toLowerCase());
    return wanted;
  }
  let name = wanted;
  for (let suffix = 2; taken.has(name.toLowerCase()); suffix += 1) name = `${wanted}_${suffix}`;
  taken.add(name.toLowerCase());
  return name;
}

export function checkIdentifier(name: string, what: 'table' | 'column' | 'database'): void {
  if (name.length > IDENTIFIER_LENGTH_MAX)
    throw sqlError('TOO_LONG_IDENT', `Identifier name '${name}' is too long`);
  if (name.length === 0 || name.endsWith(' ')) {
    throw sqlError(
      what === 'database' ? 'WRONG_DB_NAME' : 'WRONG_TABLE_NAME',
      `Incorrect ${what} name '${name}'`,
    );
  }
}
