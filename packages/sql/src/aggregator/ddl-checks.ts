/**
 * CHECK constraints of CREATE TABLE, as MariaDB 10.11 keeps them: a column-level check is named
 * after its column (SHOW CREATE TABLE prints it on the column's line), an unnamed table-level
 * check `CONSTRAINT_<n>`; a row whose check is FALSE is refused with 4025 "CONSTRAINT `…` failed
 * for `db`.`t`" (`check-errors.ts`; a column-level check shows as `t.column`; NULL passes), on
 * every write path, because each engine enforces the translated condition itself (DuckDB and
 * SQLite both check INSERT, UPDATE, the appender and `read_csv` loads). The constraint names
 * itself in its engine clause so that the engines' errors map back to it
 * (`storage/engine-errors.ts`): SQLite by its constraint name, DuckDB (whose message prints the
 * expression) by a literal that is always true. NOT ENFORCED checks (MySQL's syntax) are kept
 * for SHOW CREATE TABLE only. A check may not read a subquery (1970), a variable, a parameter or
 * a function whose value changes between calls (1901); a column-level check may read other
 * columns, as MariaDB allows. Dropping a column drops the checks that read only it, and is
 * refused (1054) while a check reads it with other columns; renaming one that a check reads is
 * refused (3959: MariaDB rewrites the check).
 */
import type { CheckDef, CreateTableStatement, Expr } from '../parser/ast.js';
import { formatExpr, formatMariaDbExpr, walkExpr } from '../parser/index.js';
import { translateExpr } from '../dialect/index.js';
import type { CheckConstraint, TableDef } from '../catalog/types.js';
import { CHECK_PREFIX, quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { sqlError } from '../errors.js';
import type { StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';

const CLOCK_CALLS: ReadonlySet<string> = new Set([
  'NOW',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
]);

const SUBQUERY_KINDS: ReadonlySet<string> = new Set(['subquery', 'exists', 'quantified']);

const DISALLOWED_KINDS: ReadonlySet<string> = new Set([
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
  'CURRENT_ROLE',
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

const UNNAMED = /^CONSTRAINT_(\d+)$/i;

/**
 * The CHECK constraints `written` for `table`, translated for its storage; unnamed ones are
 * named after their column, or `CONSTRAINT_<n>` from `first` on (skipping names in use).
 */
export function tableChecks(
  context: StatementContext,
  written: readonly WrittenCheck[],
  table: TableDef,
  first = 1,
): CheckConstraint[] {
  let next = first;
  const names = new Set((table.checks ?? []).map((check) => check.name.toLowerCase()));
  const taken = new Set([
    ...names,
    ...written.flatMap(({ def }) => (def.name === undefined ? [] : [def.name.toLowerCase()])),
  ]);
  const unnamed = (): string => {
    while (taken.has(`constraint_${next}`)) next += 1;
    return `CONSTRAINT_${next++}`;
  };
  return written.map(({ def: check, column }) => {
    const name = check.name ?? column ?? unnamed();
    if (names.has(name.toLowerCase()))
      throw sqlError('CHECK_DUP_NAME', `Duplicate CHECK constraint name '${name}'`);
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
    (existing) => Number(UNNAMED.exec(existing.name)?.[1] ?? 0) || 0,
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

/**
 * The checks left when `column` is dropped: those that read only it go with it, as in MariaDB;
 * one that reads it with other columns refuses the drop (1054).
 */
export function checksWithoutColumn(table: TableDef, column: string): CheckConstraint[] {
  const lower = column.toLowerCase();
  const reads = (check: CheckConstraint): boolean =>
    check.columns.some((name) => name.toLowerCase() === lower);
  const checks = table.checks ?? [];
  if (checks.some((check) => reads(check) && check.columns.length > 1))
    throw sqlError('BAD_FIELD', `Unknown column '${column}' in 'CHECK'`);
  return checks.filter((check) => !reads(check) && check.column?.toLowerCase() !== lower);
}

/** The refusal of a column rename that a CHECK constraint reads (3959), if any. */
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

/** The refused part as MariaDB prints it in 1901. */
function disallowedText(node: Expr): string {
  if (node.kind === 'variable') return `${node.system ? '@@' : '@'}${node.name}`;
  if (node.kind === 'call' && CLOCK_CALLS.has(node.name.toUpperCase()))
    return 'current_timestamp()';
  return formatMariaDbExpr(node);
}

function readColumns(table: TableDef, expr: Expr, name: string): string[] {
  const columns: string[] = [];
  walkExpr(expr, (node) => {
    if (SUBQUERY_KINDS.has(node.kind) || (node.kind === 'in' && node.query !== undefined))
      throw sqlError('CHECK_SUBQUERY', 'CHECK does not support subqueries or stored functions');
    if (
      DISALLOWED_KINDS.has(node.kind) ||
      (node.kind === 'call' && DISALLOWED_CALLS.has(node.name.toUpperCase()))
    )
      throw sqlError(
        'CHECK_DISALLOWED',
        `Function or expression '${disallowedText(node)}' cannot be used in the CHECK clause of \`${name}\``,
      );
    if (node.kind === 'column') {
      const found = table.columns.find(
        (column) => column.name.toLowerCase() === node.column.toLowerCase(),
      );
      if (found === undefined)
        throw sqlError('BAD_FIELD', `Unknown column '${node.column}' in 'CHECK'`);
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
