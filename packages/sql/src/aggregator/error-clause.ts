/**
 * MariaDB 10.11 names the clause an unknown (1054) or ambiguous (1052) column is in: `Unknown
 * column 'x' in 'WHERE'`, `Column 'id' in SELECT is ambiguous`. The translators raise them
 * with MySQL's older 'field list'; the clause is found afterwards in the statement as written:
 * the innermost clause (subqueries included) that names the column, the first in the order
 * MariaDB resolves them.
 */
import type { Expr, Query, Statement, TableRef } from '../parser/ast.js';
import { exprChildren, exprQuery } from '../parser/walk.js';
import { SqlError, sqlError } from '../errors.js';

const UNKNOWN = /^Unknown column '(.*)' in '(?:field list|group statement)'$/s;
const AMBIGUOUS = /^Column '(.*)' in field list is ambiguous$/s;

/** The error with MariaDB's clause name, or the error itself when none is found. */
export function withClauseName(error: unknown, statement: Statement): unknown {
  if (!(error instanceof SqlError)) return error;
  const unknown = error.errno === 1054 ? UNKNOWN.exec(error.message) : null;
  const ambiguous = error.errno === 1052 ? AMBIGUOUS.exec(error.message) : null;
  const name = unknown?.[1] ?? ambiguous?.[1];
  if (name === undefined) return error;
  const clause = statementClause(statement, name.toLowerCase());
  if (clause === undefined) return error;
  return unknown !== null
    ? sqlError('BAD_FIELD', `Unknown column '${name}' in '${clause}'`)
    : sqlError('NON_UNIQ', `Column '${name}' in ${clause} is ambiguous`);
}

type Part = readonly [string, readonly (Expr | undefined)[]] | readonly [string, Query];

function statementClause(statement: Statement, name: string): string | undefined {
  switch (statement.kind) {
    case 'select':
    case 'setOperation':
    case 'with':
      return queryClause(statement, name);
    case 'update': {
      // A multi-table UPDATE reads its values as a SELECT does.
      const values = statement.tables.length > 1 || statement.tables[0]?.kind === 'join';
      return firstClause(
        [
          ['SET', statement.set.map((assignment) => assignment.column)],
          [values ? 'SELECT' : 'SET', statement.set.map((assignment) => assignment.value)],
          ...onParts(statement.tables),
          ['WHERE', [statement.where]],
          ['ORDER BY', statement.orderBy.map((item) => item.expr)],
        ],
        name,
      );
    }
    case 'delete':
      return firstClause(
        [
          ...onParts(statement.from),
          ['WHERE', [statement.where]],
          ['ORDER BY', statement.orderBy.map((item) => item.expr)],
        ],
        name,
      );
    case 'insert': {
      const source = statement.source;
      if (statement.columns?.some((column) => column.toLowerCase() === name) === true)
        return 'INSERT INTO';
      const parts: Part[] = [];
      if (source.kind === 'values') parts.push(['VALUES', source.rows.flat()]);
      if (source.kind === 'set') {
        parts.push(['INSERT INTO', source.assignments.map((assignment) => assignment.column)]);
        parts.push(['VALUES', source.assignments.map((assignment) => assignment.value)]);
      }
      if (source.kind === 'query') parts.push(['SELECT', source.query]);
      const upsert = statement.onDuplicateKeyUpdate ?? [];
      parts.push(['UPDATE', upsert.map((assignment) => assignment.column)]);
      parts.push(['SELECT', upsert.map((assignment) => assignment.value)]);
      return firstClause(parts, name);
    }
    default:
      return undefined;
  }
}

function queryClause(query: Query, name: string): string | undefined {
  switch (query.kind) {
    case 'with':
      return (
        firstClause(
          query.ctes.map((cte) => ['SELECT', cte.query] as const),
          name,
        ) ?? queryClause(query.query, name)
      );
    case 'setOperation':
      return (
        queryClause(query.left, name) ??
        queryClause(query.right, name) ??
        firstClause([['ORDER BY', query.orderBy.map((item) => item.expr)]], name)
      );
    case 'select':
      return firstClause(
        [
          ['SELECT', query.columns.map((item) => item.expr)],
          ...onParts(query.from ?? []),
          ['WHERE', [query.where]],
          ['GROUP BY', query.groupBy],
          ['HAVING', [query.having]],
          ['ORDER BY', query.orderBy.map((item) => item.expr)],
        ],
        name,
      );
  }
}

/** The ON conditions of joins, and the queries of derived tables. */
function onParts(refs: readonly TableRef[]): Part[] {
  const parts: Part[] = [];
  const visit = (ref: TableRef): void => {
    if (ref.kind === 'derived') parts.push(['SELECT', ref.query]);
    if (ref.kind !== 'join') return;
    visit(ref.left);
    visit(ref.right);
    if (ref.on !== undefined) parts.push(['ON', [ref.on]]);
  };
  refs.forEach(visit);
  return parts;
}

function firstClause(parts: readonly Part[], name: string): string | undefined {
  for (const [clause, content] of parts) {
    const found = Array.isArray(content)
      ? exprsClause(content as readonly (Expr | undefined)[], clause, name)
      : queryClause(content as Query, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `clause` when the expressions name the column, or the clause of a subquery that does. */
function exprsClause(
  exprs: readonly (Expr | undefined)[],
  clause: string,
  name: string,
): string | undefined {
  for (const expr of exprs) {
    if (expr === undefined) continue;
    const found = exprClause(expr, clause, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function exprClause(expr: Expr, clause: string, name: string): string | undefined {
  if (expr.kind === 'column' && columnName(expr) === name) return clause;
  const query = exprQuery(expr);
  if (query !== undefined) {
    const inner = queryClause(query, name);
    if (inner !== undefined) return inner;
  }
  return exprsClause(exprChildren(expr), clause, name);
}

function columnName(expr: Expr & { kind: 'column' }): string {
  return (expr.table === undefined ? expr.column : `${expr.table}.${expr.column}`).toLowerCase();
}
