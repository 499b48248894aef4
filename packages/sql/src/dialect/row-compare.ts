/**
 * Comparisons of row values, `(a, b) = (1, NULL)` and `(a, b) IN ((1, 2), (3, 4))`, as MySQL
 * evaluates them: element by element, each with the comparison rules of its pair (strings
 * without case, numbers with strings as numbers), so a NULL element makes an equality unknown
 * rather than equal, and `<`/`>` compare in order, the first unequal pair deciding. The
 * engines' own row values compare NULLs as equal (DuckDB) and strings with case.
 */
import { sqlError } from '../errors.js';
import type { BinaryOp, Expr } from '../parser/ast.js';
import { inListItems } from '../parser/walk.js';

type InExpr = Extract<Expr, { kind: 'in' }>;

const ORDERINGS: ReadonlySet<BinaryOp> = new Set(['<', '<=', '>', '>=']);

/** The comparison spelled out pair by pair; undefined when `expr` compares no rows. */
export function expandRowComparison(expr: Extract<Expr, { kind: 'binary' }>): Expr | undefined {
  const { left, right, op } = expr;
  if (left.kind !== 'row' && right.kind !== 'row') return undefined;
  if (op !== '=' && op !== '<=>' && op !== '<>' && !ORDERINGS.has(op)) return undefined;
  const [lefts, rights] = pairs(left, right);
  if (op === '=' || op === '<=>')
    return all(lefts.map((item, index) => binary(op, item, rights[index])));
  if (op === '<>') return not(all(lefts.map((item, index) => binary('=', item, rights[index]))));
  return ordered(op, lefts, rights, 0);
}

/** `row [NOT] IN (row, …)` as equalities joined by OR; undefined for other IN lists. */
export function expandRowIn(expr: InExpr): Expr | undefined {
  const items = inListItems(expr);
  if (expr.expr.kind !== 'row' || items === undefined) return undefined;
  const value = expr.expr;
  const tests = items.map((item) => {
    const [lefts, rights] = pairs(value, item);
    return all(lefts.map((left, index) => binary('=', left, rights[index])));
  });
  const found = tests.reduce((either, test) => binary('OR', either, test));
  return expr.not ? not(found) : found;
}

function pairs(left: Expr, right: Expr): [readonly Expr[], readonly Expr[]] {
  const lefts = itemsOf(left);
  const rights = itemsOf(right);
  if (lefts.length !== rights.length)
    throw sqlError('OPERAND_COLUMNS', `Operand should contain ${lefts.length} column(s)`);
  return [lefts, rights];
}

function itemsOf(expr: Expr): readonly Expr[] {
  return expr.kind === 'row' ? expr.items : [expr];
}

/** a < b in order: a1 < b1 OR (a1 = b1 AND (rest)); the last pair takes the operator itself. */
function ordered(
  op: BinaryOp,
  lefts: readonly Expr[],
  rights: readonly Expr[],
  index: number,
): Expr {
  const left = lefts[index] as Expr;
  const right = rights[index] as Expr;
  if (index === lefts.length - 1) return binary(op, left, right);
  const strict: BinaryOp = op === '<' || op === '<=' ? '<' : '>';
  return binary(
    'OR',
    binary(strict, left, right),
    binary('AND', binary('=', left, right), ordered(op, lefts, rights, index + 1)),
  );
}

function all(tests: readonly Expr[]): Expr {
  return tests.reduce((both, test) => binary('AND', both, test));
}

function binary(op: BinaryOp, left: Expr, right: Expr | undefined): Expr {
  if (right === undefined) throw new Error('row comparison without a right operand');
  return { kind: 'binary', op, left, right };
}

function not(expr: Expr): Expr {
  return { kind: 'unary', op: 'NOT', operand: expr };
}
