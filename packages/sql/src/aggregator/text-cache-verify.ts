/**
 * The check that lets a SELECT's shape run as a parameterized plan: planned with its literals
 * and planned with parameters, both must run on one partition with the same result columns,
 * and the engine SQL must be the same text once each `?` is replaced by the literal written as
 * the dialect writes it. Then binding the value is the same as writing it, except that the
 * engine reads a bound value instead of parsing it. When the translation of a literal depends
 * on its type or value (a cast, a constant folded into a function), the texts differ and the
 * shape is not cached. Made once per shape and per catalog version, database and settings.
 */
import type { Query, Statement } from '../parser/ast.js';
import { quoteString } from '../dialect/context.js';
import type { StatementContext } from './context.js';
import { planQuery } from './select.js';
import type { ShapeLiteral } from './text-cache-shape.js';

export interface SelectCheck {
  /** Plans the literal statement (no plan slot). */
  readonly literalContext: StatementContext;
  /** Plans the parameterized statement with its slot; the slot keeps the plan. */
  readonly parameterContext: StatementContext;
  readonly literal: Statement;
  readonly parameterized: Statement;
  /** For each parameter index, the literal it stands for. */
  readonly literals: readonly ShapeLiteral[];
}

/** Whether the parameterized plan is the literal plan with bound values; fills the slot. */
export function verifySelect(check: SelectCheck): boolean {
  const literalPlan = planQuery(check.literalContext, check.literal as Query);
  const parameterPlan = planQuery(check.parameterContext, check.parameterized as Query);
  if (literalPlan.kind !== 'partition' || parameterPlan.kind !== 'partition') return false;
  if (literalPlan.table !== parameterPlan.table) return false;
  const expected = literalPlan.translated;
  const actual = parameterPlan.translated;
  if (expected.params.length !== 0) return false;
  if (!sameColumns(expected.columns, actual.columns)) return false;
  const pieces = actual.sql.split('?');
  if (pieces.length !== actual.params.length + 1) return false;
  let text = pieces[0] ?? '';
  for (const [position, index] of actual.params.entries()) {
    const literal = check.literals[index];
    if (literal === undefined) return false;
    text += writeLiteral(literal) + (pieces[position + 1] ?? '');
  }
  return text === expected.sql;
}

/** A literal as `translateLiteral` writes it into engine SQL. */
function writeLiteral(literal: ShapeLiteral): string {
  return literal.kind === 'string' ? quoteString(literal.value as string) : String(literal.value);
}

function sameColumns(left: readonly unknown[], right: readonly unknown[]): boolean {
  try {
    return JSON.stringify(left) === JSON.stringify(right);
  } catch {
    return false;
  }
}
