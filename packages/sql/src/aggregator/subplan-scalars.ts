/**
 * Scalar sub-plans as literals. A gather plan's uncorrelated scalar subquery that a comparison
 * reads (TPC-H Q11's HAVING threshold, Q22's average balance) runs first anyway; when its value
 * is NULL, an integer or a DECIMAL, the comparison reads that value as a literal instead, and
 * the query is planned again: with one subquery fewer it may run on the partitions (Q11 then
 * runs whole with supplier copied to the leaves).
 *
 * Exact: the subquery is uncorrelated, so its value is the same for every row, and the literal
 * has the same value and kind (an integer for integer types, a DECIMAL with its digits for
 * DECIMAL), so the comparison means the same. Other types (floating point, strings, dates),
 * results of more than one row (an error the normal plan reports) and subqueries not compared
 * are left to the normal plan.
 */
import type { BinaryOp, Expr, LiteralExpr, Query } from '../parser/ast.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { fetchSubplan, type SubplanSource } from './subplan-select.js';

const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const INTEGER_TYPES: ReadonlySet<string> = new Set(['tinyint', 'smallint', 'int', 'bigint']);
const DECIMAL_TEXT = /^-?\d{1,65}(\.\d{1,30})?$/;

/**
 * `query` with its compared scalar sub-plans replaced by their values, or `undefined` when
 * none applies. `query` must be the prepared query the sub-plans were taken from (their
 * queries are its nodes).
 */
export async function inlineScalarSubplans(
  context: StatementContext,
  query: Query,
  subplans: readonly SubplanSource[],
): Promise<Query | undefined> {
  if (subplans.length === 0) return undefined;
  const compared = comparedQueries(query);
  const literals = new Map<Query, LiteralExpr>();
  for (const source of subplans) {
    if (!compared.has(source.subplan.query) || source.columns.length !== 1) continue;
    const column = source.columns[0];
    if (column === undefined) continue;
    const table = await fetchSubplan(context, source, { values: true });
    if (table.rows.length > 1) continue;
    const literal = literalOf(table.rows[0]?.[0] ?? null, column.type);
    if (literal !== undefined) literals.set(source.subplan.query, literal);
  }
  if (literals.size === 0) return undefined;
  return replace(query, literals) as Query;
}

/** The queries of scalar subqueries that are an operand of a comparison. */
function comparedQueries(query: Query): ReadonlySet<Query> {
  const found = new Set<Query>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as { kind?: unknown; op?: unknown; left?: Expr; right?: Expr };
    if (record.kind === 'literal' || record.kind === 'column') return;
    if (record.kind === 'binary' && COMPARISONS.has(record.op as BinaryOp))
      for (const operand of [record.left, record.right])
        if (operand?.kind === 'subquery') found.add(operand.query);
    for (const value of Object.values(node))
      if (value !== null && typeof value === 'object') visit(value);
  };
  visit(query);
  return found;
}

function literalOf(value: SqlValue, type: string): LiteralExpr | undefined {
  if (value === null) return { kind: 'literal', type: 'null', value: null };
  if (INTEGER_TYPES.has(type)) {
    if (typeof value === 'bigint')
      return { kind: 'literal', type: 'int', value, raw: String(value) };
    if (typeof value === 'number' && Number.isSafeInteger(value))
      return { kind: 'literal', type: 'int', value, raw: String(value) };
    return undefined;
  }
  if (type === 'decimal' && typeof value === 'string' && DECIMAL_TEXT.test(value)) {
    if (value.includes('.')) return { kind: 'literal', type: 'decimal', value, raw: value };
    // A whole DECIMAL compares as the integer it holds.
    const whole = BigInt(value);
    const number = Number(whole);
    return {
      kind: 'literal',
      type: 'int',
      value: Number.isSafeInteger(number) ? number : whole,
      raw: value,
    };
  }
  return undefined;
}

/** Replaces compared scalar subqueries whose query has a literal; other nodes are kept. */
function replace(node: unknown, literals: ReadonlyMap<Query, LiteralExpr>): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => replace(item, literals));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  const record = node as { kind?: unknown; op?: unknown; left?: Expr; right?: Expr };
  if (record.kind === 'literal' || record.kind === 'column') return node;
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = replace(value, literals);
    if (result[key] !== value) changed = true;
  }
  if (record.kind === 'binary' && COMPARISONS.has(record.op as BinaryOp)) {
    for (const side of ['left', 'right'] as const) {
      const operand = record[side];
      const literal = operand?.kind === 'subquery' ? literals.get(operand.query) : undefined;
      if (literal !== undefined) {
        result[side] = literal;
        changed = true;
      }
    }
  }
  return changed ? result : node;
}
