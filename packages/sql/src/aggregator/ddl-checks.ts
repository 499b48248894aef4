/**
 * CHECK constraints of CREATE TABLE, as MySQL 8 keeps them: column-level and table-level checks
 * in definition order, unnamed ones named `<table>_chk_<n>`; a row whose check is FALSE is
 * refused with 3819 "Check constraint '…' is violated." (NULL passes), on every write path,
 * because each engine enforces the translated condition itself (DuckDB and SQLite both check
 * INSERT, UPDATE, the appender and `read_csv` loads). The constraint names itself in its engine
 * clause so that the engines' errors map back to it (`storage/engine-errors.ts`): SQLite by its
 * constraint name, DuckDB (whose message prints the expression) by a literal that is always
 * true. NOT ENFORCED checks are kept for SHOW CREATE TABLE only. A check may not read a
 * subquery, a variable, a parameter or a function whose value changes between calls (3814); a
 * column-level check may read other columns, as MariaDB allows (MySQL refuses with 3813).
 */
import type { CheckDef, CreateTableStatement, Expr } from '../parser/ast.js';
import { formatExpr, walkExpr } from '../parser/index.js';
import { translateExpr } from '../dialect/index.js';
import type { CheckConstraint, TableDef } from '../catalog/types.js';
import { CHECK_PREFIX, quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { sqlError } from '../errors.js';
import type { StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';
import { shownName } from './temporary-tables.js';

const DISALLOWED_KINDS: ReadonlySet<string> = new Set([
  'subquery',
  'exists',
  'quantified',
  'variable',
  'assign',
  'param',
  'windowCall',
  'default',
]);

/** Functions whose value changes from one call to the next, or reads the session. */
const DISALLOWED_CALLS: ReadonlySet<string> = new Set([
  'RAND',
  'UUID',
  'UUID_SHORT',
  'NOW',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
  'SYSDATE',
  'CURDATE',
  'CURRENT_DATE',
  'CURTIME',
  'CURRENT_TIME',
  'UTC_DATE',
  'UTC_TIME',
  'UTC_TIMESTAMP',
  'UNIX_TIMESTAMP',
  'CONNECTION_ID',
  'DATABASE',
  'SCHEMA',
  'USER',
  'CURRENT_USER',
  'SESSION_USER',
  'SYSTEM_USER',
  'LAST_INSERT_ID',
  'ROW_COUNT',
  'FOUND_ROWS',
  'SLEEP',
  'GET_LOCK',
  'RELEASE_LOCK',
]);

/** A CHECK as written, with the column it was written with (if any). */
export interface WrittenCheck {
  readonly def: CheckDef;
  readonly column?: string;
}

/** The CHECK constraints CREATE TABLE writes: column-level ones first, in column order. */
export function statementChecks(statement: CreateTableStatement): WrittenCheck[] {
  return [
    ...statement.columns.flatMap((column) =>
      column.check === undefined ? [] : [{ def: column.check, column: column.name }],
    ),
    ...(statement.checks ?? []).map((def) => ({ def })),
  ];
}

/**
 * The CHECK constraints `written` for `table`, translated for its storage; unnamed ones are
 * named `<table>_chk_<n>` from `first` on.
 */
export function tableChecks(
  context: StatementContext,
  written: readonly WrittenCheck[],
  table: TableDef,
  first = 1,
): CheckConstraint[] {
  let next = first;
  const names = new Set((table.checks ?? []).map((check) => check.name.toLowerCase()));
  return written.map(({ def: check, column }) => {
    const name = check.name ?? `${shownName(table)}_chk_${next++}`;
    if (names.has(name.toLowerCase()))
      throw sqlError('CHECK_DUP_NAME', `Duplicate check constraint name '${name}'.`);
    names.add(name.toLowerCase());
    const columns = readColumns(table, check.expr, name);
    const text = formatExpr(check.expr);
    const level = column === undefined ? {} : { column };
    if (check.enforced === false) return { name, text, columns, ...level };
    return {
      name,
      text,
      columns,
      engineSql: engineClause(context, table, name, check.expr),
      ...level,
    };
  });
}

/** The table with `check` added (ALTER TABLE … ADD CHECK), numbered after its last check. */
export function withCheck(context: StatementContext, table: TableDef, check: CheckDef): TableDef {
  const numbers = (table.checks ?? []).map(
    (existing) => Number(/_chk_(\d+)$/.exec(existing.name)?.[1] ?? 0) || 0,
  );
  const added = tableChecks(context, [{ def: check }], table, Math.max(0, ...numbers) + 1);
  return { ...table, checks: [...(table.checks ?? []), ...added] };
}

/** The table without the check named `name`; `undefined` when it has none of that name. */
export function withoutCheck(table: TableDef, name: string): TableDef | undefined {
  const checks = table.checks ?? [];
  const kept = checks.filter((check) => check.name.toLowerCase() !== name.toLowerCase());
  if (kept.length === checks.length) return undefined;
  return { ...table, checks: kept };
}

/** The refusal of a column change that a CHECK constraint reads (3959), if any. */
export function guardCheckColumn(table: TableDef, column: string): void {
  const lower = column.toLowerCase();
  const check = (table.checks ?? []).find((candidate) =>
    candidate.columns.some((name) => name.toLowerCase() === lower),
  );
  if (check !== undefined)
    throw sqlError(
      'CHECK_COLUMN_REFERENCED',
      `Check constraint '${check.name}' uses column '${column}', hence column cannot be dropped or renamed.`,
    );
}

function readColumns(table: TableDef, expr: Expr, name: string): string[] {
  const columns: string[] = [];
  const disallowed = (): Error =>
    sqlError(
      'CHECK_DISALLOWED',
      `An expression of a check constraint '${name}' contains disallowed function.`,
    );
  walkExpr(expr, (node) => {
    if (DISALLOWED_KINDS.has(node.kind) || (node.kind === 'in' && node.query !== undefined))
      throw disallowed();
    if (node.kind === 'call' && DISALLOWED_CALLS.has(node.name.toUpperCase())) throw disallowed();
    if (node.kind === 'column') {
      const found = table.columns.find(
        (column) => column.name.toLowerCase() === node.column.toLowerCase(),
      );
      if (found === undefined)
        throw sqlError(
          'BAD_FIELD',
          `Unknown column '${node.column}' in 'check constraint ${name} expression'`,
        );
      if (!columns.includes(found.name)) columns.push(found.name);
    }
    return true;
  });
  return columns;
}

function engineClause(
  context: StatementContext,
  table: TableDef,
  name: string,
  expr: Expr,
): string {
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const translated = translateExpr(expr, {
    ...translateOptions(context, dialect, () => undefined),
    scope: { tables: [{ name: table.name, columns: columnMetas(table) }] },
    condition: true,
  });
  // The column references, unqualified: the clause outlives a rename of the table.
  const condition = translated.sql.replaceAll(`${quoteEngineIdentifier(table.name)}.`, '');
  const marker = `${CHECK_PREFIX}${name}`;
  if (dialect === 'sqlite')
    return `CONSTRAINT ${quoteEngineIdentifier(marker)} CHECK (${condition})`;
  return `CHECK ((${condition}) AND '${marker.replaceAll("'", "''")}' <> '')`;
}
