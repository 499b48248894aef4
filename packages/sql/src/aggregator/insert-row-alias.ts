/**
 * MySQL 8's row alias, `INSERT … VALUES (…) AS new [(a, b)] ON DUPLICATE KEY UPDATE x = new.x`:
 * a column of the alias is the value the row would have inserted, which `VALUES(x)` names, so
 * the statement is rewritten to that form before it runs. (MariaDB 10.11 has no row alias and
 * answers 1064; this server reads it because it answers as MySQL 8.0.35, and tools write it.)
 */
import type { Expr, InsertStatement } from '../parser/ast.js';
import { mapExpr } from '../parser/walk.js';
import { sqlError } from '../errors.js';

/** The statement with its row alias's columns written as VALUES(column). */
export function withoutRowAlias(
  statement: InsertStatement,
  tableColumns: readonly string[],
): InsertStatement {
  const alias = statement.rowAlias;
  if (alias === undefined) return statement;
  const { rowAlias: _alias, rowAliasColumns, ...rest } = statement;
  void _alias;
  void rowAliasColumns;
  const inserted = statement.columns ?? tableColumns;
  const names = rowAliasColumns ?? inserted;
  if (names.length !== inserted.length)
    throw sqlError('WRONG_VALUE_COUNT', "Column count doesn't match value count at row 1");
  const columnOf = (name: string): string | undefined => {
    const index = names.findIndex((candidate) => candidate.toLowerCase() === name.toLowerCase());
    return index < 0 ? undefined : inserted[index];
  };
  const rewrite = (expr: Expr): Expr => {
    if (expr.kind !== 'column' || expr.database !== undefined) return expr;
    const aliased =
      expr.table === undefined
        ? rowAliasColumns !== undefined
          ? columnOf(expr.column)
          : undefined
        : expr.table.toLowerCase() === alias.toLowerCase()
          ? (columnOf(expr.column) ?? unknown(`${alias}.${expr.column}`))
          : undefined;
    if (aliased === undefined) return expr;
    return { kind: 'call', name: 'VALUES', args: [{ kind: 'column', column: aliased }] };
  };
  if (statement.onDuplicateKeyUpdate === undefined) return rest;
  return {
    ...rest,
    onDuplicateKeyUpdate: statement.onDuplicateKeyUpdate.map((assignment) => ({
      ...assignment,
      value: mapExpr(assignment.value, rewrite),
    })),
  };
}

function unknown(name: string): never {
  throw sqlError('BAD_FIELD', `Unknown column '${name}' in 'field list'`);
}
