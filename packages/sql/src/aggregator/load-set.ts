/**
 * LOAD DATA ... (col, @var, ...) SET col = expr, ... (MySQL 8.0 manual, "LOAD DATA Statement",
 * "Input Preprocessing"). Each line's fields bind the listed columns and user variables; the
 * SET expressions are then evaluated with MySQL semantics on the aggregator's merge engine,
 * and the resulting row is checked and written like an INSERT row.
 *
 * Each SET expression is bound once: `@var` and columns read from the file become placeholders
 * for their field, and a column assigned by an earlier SET item is replaced by that item's
 * expression. Per line, the placeholders become string literals (the fields as read, NULL for
 * `\N`) and the expression is translated; a batch of lines runs as one merge-engine query (one
 * SELECT per line, joined with UNION ALL and ordered by line).
 */
import type { ColumnRefExpr, Expr, LoadDataStatement, VariableExpr } from '../parser/ast.js';
import { translateExpr } from '../dialect/index.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { translateOptions } from './query-options.js';
import { substituteVariables } from './substitute.js';

/** Lines evaluated per merge-engine query (bounds the query's size). */
const LINES_PER_QUERY = 256;

export interface LoadSetPlan {
  /** The columns of each produced row: the file's columns, then the SET columns. */
  readonly columns: readonly string[];
  /** For each file column, the field it comes from. */
  readonly fileFields: readonly number[];
  /**
   * Each SET expression with placeholders numbered by field, and the position in `columns`
   * its value takes (a SET on a column read from the file replaces that column's field).
   */
  readonly expressions: readonly { readonly expr: Expr; readonly position: number }[];
}

type Target = ColumnRefExpr | VariableExpr;

function sameName(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}

/** Replaces file variables and columns by placeholders numbered by field. */
function bindFields(
  node: unknown,
  targets: readonly Target[],
  earlier: ReadonlyMap<string, Expr>,
): unknown {
  if (Array.isArray(node)) return node.map((item) => bindFields(item, targets, earlier));
  if (node === null || typeof node !== 'object') return node;
  const record = node as { kind?: unknown };
  if (record.kind === 'variable') {
    const variable = node as VariableExpr;
    const field = targets.findIndex(
      (target) =>
        target.kind === 'variable' && !variable.system && sameName(target.name, variable.name),
    );
    if (field >= 0) return { kind: 'param', index: field };
    return node;
  }
  if (record.kind === 'column') {
    const column = node as ColumnRefExpr;
    const assigned = earlier.get(column.column.toLowerCase());
    if (assigned !== undefined) return assigned;
    const field = targets.findIndex(
      (target) => target.kind === 'column' && sameName(target.column, column.column),
    );
    if (field < 0) {
      throw sqlError(
        'NOT_SUPPORTED',
        `LOAD DATA ... SET can read only columns loaded from the file or set before; '${column.column}' is neither`,
      );
    }
    return { kind: 'param', index: field };
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, bindFields(value, targets, earlier)]),
  );
}

export function loadSetPlan(
  context: StatementContext,
  statement: LoadDataStatement,
  targets: readonly Target[],
): LoadSetPlan {
  const fileFields: number[] = [];
  const columns: string[] = [];
  targets.forEach((target, field) => {
    if (target.kind !== 'column') return;
    fileFields.push(field);
    columns.push(target.column);
  });
  const earlier = new Map<string, Expr>();
  const expressions: { expr: Expr; position: number }[] = [];
  const setColumns = new Set<string>();
  for (const assignment of statement.set) {
    const name = assignment.column.column;
    const bound = substituteVariables(
      bindFields(assignment.value, targets, earlier) as Expr,
      context,
    );
    if (setColumns.has(name.toLowerCase()))
      throw sqlError('FIELD_SPECIFIED_TWICE', `Column '${name}' specified twice`);
    setColumns.add(name.toLowerCase());
    earlier.set(name.toLowerCase(), bound);
    let position = columns.findIndex((column) => sameName(column, name));
    if (position < 0) {
      position = columns.length;
      columns.push(name);
    }
    expressions.push({ expr: bound, position });
  }
  return { columns, fileFields, expressions };
}

/** The rows for `records` (one per line): file columns, then the evaluated SET columns. */
export async function evaluateLoadSet(
  context: StatementContext,
  plan: LoadSetPlan,
  records: readonly (readonly (string | null)[])[],
): Promise<SqlValue[][]> {
  const options = translateOptions(context, 'duckdb', () => undefined);
  const rows: SqlValue[][] = [];
  for (let start = 0; start < records.length; start += LINES_PER_QUERY) {
    const batch = records.slice(start, start + LINES_PER_QUERY);
    const parts: string[] = [];
    batch.forEach((record, line) => {
      const items = plan.expressions.map((expression, index) => {
        const expr = withFields(expression.expr, record) as Expr;
        return `${translateExpr(expr, options).sql} AS "s${index}"`;
      });
      parts.push(`SELECT ${line} AS "line", ${items.join(', ')}`);
    });
    const sql = `SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY "line"`;
    const result = await context.services.merge.run([], sql, [], context.signal);
    batch.forEach((record, line) => {
      const evaluated = result.rows[line] ?? [];
      const row: SqlValue[] = plan.fileFields.map((field) => record[field] ?? null);
      plan.expressions.forEach((expression, index) => {
        row[expression.position] = evaluated[index + 1] ?? null;
      });
      rows.push(row);
    });
  }
  return rows;
}

/** The expression with each field placeholder replaced by the line's field as a literal. */
function withFields(node: unknown, record: readonly (string | null)[]): unknown {
  if (Array.isArray(node)) return node.map((item) => withFields(item, record));
  if (node === null || typeof node !== 'object') return node;
  const param = node as { kind?: unknown; index?: unknown };
  if (param.kind === 'param' && typeof param.index === 'number') {
    const value = record[param.index] ?? null;
    // A NULL field is a NULL string (`\\N` in a text file), which functions on strings accept.
    return value === null
      ? {
          kind: 'cast',
          expr: { kind: 'literal', type: 'null', value: null },
          type: { name: 'CHAR' },
        }
      : { kind: 'literal', type: 'string', value };
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, withFields(value, record)]),
  );
}
