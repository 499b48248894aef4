/**
 * Replaces `@@system` and `@user` variables in a statement with their session values before
 * translation, so engines (which have no such variables) see literals. Unaliased select items
 * that contain a variable keep the name MySQL would show (`@@version_comment`).
 */
import type { Expr, SelectItem } from '../parser/ast.js';
import { selectItemName } from '../dialect/names.js';
import type { StatementContext } from './context.js';
import { variableValue } from './query-options.js';

export function substituteVariables<T>(node: T, context: StatementContext): T {
  return rewrite(node, context) as T;
}

function hasVariable(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasVariable);
  if (node === null || typeof node !== 'object') return false;
  if ((node as { kind?: unknown }).kind === 'variable') return true;
  return Object.values(node).some(
    (value) => value !== null && typeof value === 'object' && hasVariable(value),
  );
}

function rewrite(node: unknown, context: StatementContext): unknown {
  if (!hasVariable(node)) return node;
  if (Array.isArray(node)) return node.map((item) => rewrite(item, context));
  const record = node as Record<string, unknown>;
  if (record['kind'] === 'variable') {
    const variable = node as Extract<Expr, { kind: 'variable' }>;
    return variableValue(context, variable.name, variable.system);
  }
  if (record['kind'] === 'select' && Array.isArray(record['columns'])) {
    const columns = (record['columns'] as SelectItem[]).map((item) =>
      item.alias === undefined && hasVariable(item.expr)
        ? { expr: rewrite(item.expr, context) as Expr, alias: selectItemName(item) }
        : (rewrite(item, context) as SelectItem),
    );
    const rest = Object.fromEntries(
      Object.entries(record).map(([key, value]) => [
        key,
        key === 'columns' ? columns : rewrite(value, context),
      ]),
    );
    return rest;
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, rewrite(value, context)]),
  );
}
