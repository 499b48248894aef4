/**
 * The translator options for one statement: how tables resolve (engine names and MySQL column
 * types), the statement's `now`, and the session's values for DATABASE(), @@variables and the
 * like, substituted as literals so every engine computes the same answer.
 */
import type { Expr, LiteralExpr } from '../parser/ast.js';
import type { Dialect, ResolvedTable, TranslateOptions } from '../dialect/index.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import { SERVER_VERSION } from './system-variables.js';
import type { StatementContext } from './context.js';
import { sqlError } from '../errors.js';
import { shownName } from './temporary-tables.js';
import { noteVolatile } from './plan-volatile.js';
import { bitWidth } from '../catalog/bit-value.js';
import { zoneMinutes } from '../catalog/time-zone.js';

/** What ColumnMeta keeps of a column's MySQL-only type (ENUM/SET/BIT/YEAR/MEDIUMINT, legacy TIME). */
function columnKind(column: ColumnDef): Partial<ColumnMeta> {
  const kind = column.mysqlType.match(
    /^(enum|set|bit|year|mediumint)\b/,
  )?.[1] as ColumnMeta['kind'];
  return {
    ...(kind !== undefined ? { kind } : {}),
    ...(column.values !== undefined && (kind === 'enum' || kind === 'set')
      ? { members: column.values }
      : {}),
    ...(column.legacyTime === true ? { legacyTime: true } : {}),
    // A BIT(n) column is n bits long (sent as ceil(n/8) bytes).
    ...(kind === 'bit' ? { length: bitWidth(column.mysqlType) ?? 1 } : {}),
  };
}

/**
 * Column lists by table definition. Definitions are immutable (a DDL change makes a new one), so
 * each table's list is made once: the hot paths (a prepared upsert, a point select) send the
 * same list with every request, and the leaf protocol encodes a list it has seen only once.
 */
const metasByTable = new WeakMap<TableDef, readonly ColumnMeta[]>();

export function columnMetas(table: TableDef): readonly ColumnMeta[] {
  let metas = metasByTable.get(table);
  if (metas === undefined) {
    metas = makeColumnMetas(table);
    metasByTable.set(table, metas);
  }
  return metas;
}

function makeColumnMetas(table: TableDef): readonly ColumnMeta[] {
  return table.columns.map((column) => ({
    name: column.name,
    type: column.type,
    ...(column.length !== undefined ? { length: column.length } : {}),
    ...(column.precision !== undefined ? { precision: column.precision } : {}),
    ...(column.scale !== undefined ? { scale: column.scale } : {}),
    ...(column.unsigned === true ? { unsigned: true } : {}),
    nullable: column.nullable,
    database: table.database,
    table: shownName(table),
    orgTable: shownName(table),
    orgName: column.name,
    ...(table.primaryKey.includes(column.name) ? { primaryKey: true } : {}),
    ...(column.autoIncrement === true ? { autoIncrement: true } : {}),
    ...(!column.nullable && column.defaultSql === undefined && column.autoIncrement !== true
      ? { noDefaultValue: true }
      : {}),
    ...keyFlags(table, column.name),
    ...columnKind(column),
    ...(column.type === 'timestamp' ? { storedUtc: true } : {}),
  }));
}

/** How the table's keys flag a column in result metadata (MariaDB's PART/UNIQUE/MULTIPLE_KEY). */
function keyFlags(
  table: TableDef,
  name: string,
): Pick<ColumnMeta, 'partKey' | 'uniqueKey' | 'multipleKey'> {
  const keys = table.keys.filter((key) => key.columns.includes(name));
  if (keys.length === 0 && !table.primaryKey.includes(name)) return {};
  const unique = keys.some((key) => key.unique && key.columns.length === 1);
  const multiple = keys.some(
    (key) => key.columns[0] === name && !(key.unique && key.columns.length === 1),
  );
  return {
    partKey: true,
    ...(unique ? { uniqueKey: true } : {}),
    ...(multiple ? { multipleKey: true } : {}),
  };
}

/**
 * Resolves the tables of a copy's statement on one partition: `table` itself, and the other
 * tables of its database (a co-located reduction's source), by their bare names.
 */
export function copyTableResolver(
  context: StatementContext,
  table: TableDef,
): (database: string | undefined, name: string) => ResolvedTable | undefined {
  return (database, name) => {
    if (database !== undefined && database.toLowerCase() !== table.database.toLowerCase())
      return undefined;
    if (name.toLowerCase() === table.name.toLowerCase())
      return { engineName: table.name, columns: columnMetas(table) };
    const other = context.services.catalog.table(table.database, name);
    if (other === undefined || other.storage !== table.storage) return undefined;
    return { engineName: other.name, columns: columnMetas(other) };
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export function formatTimestamp(ms: number, utc: boolean): string {
  const date = new Date(ms);
  const get = utc
    ? [
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
        date.getUTCSeconds(),
      ]
    : [
        date.getFullYear(),
        date.getMonth() + 1,
        date.getDate(),
        date.getHours(),
        date.getMinutes(),
        date.getSeconds(),
      ];
  const [y, mo, d, h, mi, s] = get as [number, number, number, number, number, number];
  const micros = String((ms % 1000) * 1000).padStart(6, '0');
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}.${micros}`;
}

export function literalOf(value: SqlValue): LiteralExpr {
  if (value === null) return { kind: 'literal', type: 'null', value: null };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { kind: 'literal', type: 'int', value, raw: String(value) }
      : { kind: 'literal', type: 'double', value, raw: String(value) };
  }
  if (typeof value === 'bigint') return { kind: 'literal', type: 'int', value, raw: String(value) };
  if (typeof value === 'string') return { kind: 'literal', type: 'string', value };
  return { kind: 'literal', type: 'string', value: Buffer.from(value).toString('utf8') };
}

export function systemValue(
  context: StatementContext,
  name: string,
  args: readonly Expr[],
): LiteralExpr | undefined {
  const session = context.session;
  switch (name) {
    case 'DATABASE':
    case 'SCHEMA':
      return literalOf(session.database ?? null);
    case 'USER':
    case 'SESSION_USER':
    case 'SYSTEM_USER':
      return literalOf(`${session.user}@${session.host}`);
    case 'CURRENT_USER':
      return literalOf(
        `${session.user}@${session.host === '127.0.0.1' || session.host === '::1' ? 'localhost' : '%'}`,
      );
    case 'CURRENT_ROLE':
      // Roles are not kept: no session has one set (MariaDB's NULL).
      return literalOf(null);
    case 'VERSION':
      return literalOf(SERVER_VERSION);
    case 'CONNECTION_ID':
      return literalOf(session.connectionId);
    case 'LAST_INSERT_ID': {
      if (args.length === 0) return literalOf(session.lastInsertId);
      // LAST_INSERT_ID(expr), already evaluated to its value (last-insert-id.ts).
      const [value] = args;
      return value?.kind === 'literal' ? value : undefined;
    }
    case 'FOUND_ROWS':
      return literalOf(session.foundRows);
    case 'ROW_COUNT':
      return literalOf(session.rowCount);
    case 'CHARSET':
    case 'COLLATION': {
      // A string literal is in the connection's set (`dialect/functions/charsets.ts` does values).
      const [only] = args;
      if (args.length !== 1 || only?.kind !== 'literal' || only.type !== 'string') return undefined;
      const variable = name === 'CHARSET' ? 'character_set_connection' : 'collation_connection';
      return literalOf(session.variables.get(variable) ?? null);
    }
    default:
      return undefined;
  }
}

/** Resolves `@@name` / `@name` variables: called by the translator through resolveSystemCall. */
export function variableValue(
  context: StatementContext,
  name: string,
  system: boolean,
): LiteralExpr {
  if (!system) return literalOf(context.session.userVariables.get(name.toLowerCase()) ?? null);
  const lower = name.toLowerCase();
  // MariaDB's in_transaction: 1 after BEGIN, or once autocommit=0's transaction used a table.
  if (lower === 'in_transaction') {
    const { transaction, begun } = context.session;
    const open =
      transaction !== undefined &&
      (begun?.transaction === transaction || transaction.participants.size > 0);
    return literalOf(open ? 1 : 0);
  }
  // Counted from the session's diagnostics, as SHOW COUNT(*) WARNINGS / ERRORS count them.
  if (lower === 'warning_count' || lower === 'error_count') {
    const warnings = context.session.warnings;
    // BIGINT UNSIGNED in MariaDB, so drivers read it as a big number.
    return literalOf(
      BigInt(
        lower === 'warning_count'
          ? warnings.length
          : warnings.filter((warning) => warning.level === 'Error').length,
      ),
    );
  }
  const value = context.session.variables.get(lower);
  if (value === undefined)
    throw sqlError('UNKNOWN_SYSTEM_VARIABLE', `Unknown system variable '${name}'`);
  return literalOf(value);
}

/** Minutes east of UTC of the session's time zone (`catalog/time-zone.ts`). */
export function sessionZoneMinutes(context: StatementContext): number {
  return zoneMinutes(context.session.variables.get('time_zone'));
}

export function translateOptions(
  context: StatementContext,
  dialect: Dialect,
  resolveTable: (database: string | undefined, name: string) => ResolvedTable | undefined,
): TranslateOptions {
  const zone = sessionZoneMinutes(context);
  return {
    dialect,
    resolve: { resolveTable },
    now: formatTimestamp(context.nowMs + zone * 60_000, true),
    utcNow: formatTimestamp(context.nowMs, true),
    onVolatile: noteVolatile,
    ...(zone !== 0 ? { zoneMinutes: zone } : {}),
    resolveSystemCall: (name, args) => {
      if (name.startsWith('@@')) return variableValue(context, name.slice(2), true);
      if (name.startsWith('@')) return variableValue(context, name.slice(1), false);
      return systemValue(context, name, args);
    },
    ...(context.session.database !== undefined ? { database: context.session.database } : {}),
    ...(context.paramTypes !== undefined ? { paramTypes: context.paramTypes } : {}),
  };
}
