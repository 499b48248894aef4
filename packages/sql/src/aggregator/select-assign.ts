/**
 * `SELECT @v := expr …`: the query runs with each assignment's value in its place and the
 * variable takes the value of the result's last row, as MySQL leaves it after assigning row by
 * row (an ORDER BY decides the last row). A later item that reads the variable sees the
 * assigned value, as MySQL evaluates a row's items left to right. An assignment that reads a
 * variable assigned in the same select (`@n := @n + 1`, the row-numbering idiom) depends on
 * that row-by-row order and is refused (1235); window functions (ROW_NUMBER()) do it instead.
 */
import type { Expr, SelectItem, SelectStatement } from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';
import { sqlError } from '../errors.js';
import type { QueryResult } from '../protocol/backend.js';
import type { StatementContext } from './context.js';

type Assign = Extract<Expr, { kind: 'assign' }>;

export function hasSelectAssignments(statement: SelectStatement): boolean {
  return statement.columns.some((item) => item.expr.kind === 'assign');
}

export async function selectWithAssignments(
  context: StatementContext,
  statement: SelectStatement,
  run: (query: SelectStatement) => Promise<QueryResult>,
): Promise<QueryResult> {
  const assigned = new Map<string, Expr>();
  const targets: { readonly name: string; readonly position: number }[] = [];
  const columns = statement.columns.map((item, position): SelectItem => {
    // Reads of a variable assigned by an earlier item see its value.
    const read = (expr: Expr): Expr =>
      mapExpr(expr, (node) =>
        node.kind === 'variable' && !node.system
          ? (assigned.get(node.name.toLowerCase()) ?? node)
          : node,
      );
    if (item.expr.kind !== 'assign') return { ...item, expr: read(item.expr) };
    const assign: Assign = item.expr;
    const name = assign.target.name.toLowerCase();
    if (readsVariables(assign.value, new Set([name, ...assigned.keys()])))
      throw sqlError(
        'NOT_SUPPORTED',
        `Assigning @${assign.target.name} from a variable of the same select row by row is not supported; use a window function such as ROW_NUMBER()`,
      );
    const value = read(assign.value);
    assigned.set(name, value);
    targets.push({ name, position });
    // The item keeps its written text as its name (a bare column would show its own name).
    return { ...item, expr: { kind: 'unary', op: '+', operand: value }, text: item.text ?? name };
  });
  const result = await run({ ...statement, columns });
  if (result.kind === 'rows') {
    const last = result.rows[result.rows.length - 1];
    if (last !== undefined)
      for (const { name, position } of targets)
        context.session.userVariables.set(name, last[position] ?? null);
  }
  return result;
}

function readsVariables(expr: Expr, names: ReadonlySet<string>): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (node.kind === 'variable' && !node.system && names.has(node.name.toLowerCase()))
      found = true;
    return !found;
  });
  return found;
}
