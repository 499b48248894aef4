/**
 * LAST_INSERT_ID(expr): returns expr as an unsigned integer and makes it the session's value,
 * which LAST_INSERT_ID() reads afterwards (MariaDB: NULL returns NULL and sets 0). The call is
 * evaluated here, in statement order, and replaced by its value before the statement runs, in
 * the statements that evaluate it exactly once: SELECT without FROM, DO, SET and INSERT …
 * VALUES. Where it would run once per row (over columns, or in a statement that reads a
 * table), the engines could not hand the value back: 1235 rather than a wrong answer.
 */
import type { Expr, Statement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';

const CALL = /last_insert_id\s*\(\s*[^)\s]/i;

type CallNode = Extract<Expr, { kind: 'call' }>;

function isSettingCall(node: unknown): node is CallNode {
  const call = node as Partial<CallNode> | null;
  return (
    call !== null &&
    typeof call === 'object' &&
    call.kind === 'call' &&
    typeof call.name === 'string' &&
    call.name.toUpperCase() === 'LAST_INSERT_ID' &&
    call.args?.length === 1
  );
}

/** Whether `node` is or holds a node that passes `test`. */
function holds(node: unknown, test: (node: object) => boolean): boolean {
  if (Array.isArray(node)) return node.some((item) => holds(item, test));
  if (node === null || typeof node !== 'object') return false;
  if (test(node)) return true;
  return Object.values(node).some((value) => holds(value, test));
}

const READS_ROWS: ReadonlySet<string> = new Set(['column', 'subquery', 'exists', 'in']);

/** The statement with each LAST_INSERT_ID(expr) evaluated and set, in text order. */
export async function settleLastInsertId(
  context: StatementContext,
  statement: Statement,
  text: string | undefined,
): Promise<Statement> {
  if (text !== undefined && !CALL.test(text)) return statement;
  if (!holds(statement, isSettingCall)) return statement;
  const once =
    (statement.kind === 'select' && statement.from === undefined) ||
    statement.kind === 'do' ||
    statement.kind === 'set' ||
    (statement.kind === 'insert' &&
      statement.source.kind === 'values' &&
      statement.onDuplicateKeyUpdate === undefined);
  const settle = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      for (const item of node) items.push(await settle(item));
      return items;
    }
    if (node === null || typeof node !== 'object') return node;
    if (isSettingCall(node)) {
      const [argument] = node.args;
      const rowWise = holds(argument, (inner) =>
        READS_ROWS.has((inner as { kind?: string }).kind ?? ''),
      );
      if (!once || rowWise)
        throw sqlError(
          'NOT_SUPPORTED',
          'LAST_INSERT_ID(expr) is supported where it is evaluated once: SELECT without FROM, DO, SET and INSERT … VALUES',
        );
      // Arguments first: LAST_INSERT_ID(LAST_INSERT_ID() + 1) reads the value before.
      const value = await unsignedValue(context, (await settle(argument)) as Expr);
      context.session.lastInsertId = value ?? 0;
      const literal: Expr =
        value === null
          ? { kind: 'literal', type: 'null', value: null }
          : { kind: 'literal', type: 'int', value };
      return { ...node, args: [literal] };
    }
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(node)) entries.push([key, await settle(value)]);
    return Object.fromEntries(entries);
  };
  return (await settle(statement)) as Statement;
}

async function unsignedValue(
  context: StatementContext,
  expr: Expr,
): Promise<number | bigint | null> {
  const [value] = await evaluateConstants(context, [
    { kind: 'cast', expr, type: { name: 'UNSIGNED' } },
  ]);
  return integer(value ?? null);
}

function integer(value: SqlValue): number | bigint | null {
  if (value === null) return null;
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  const parsed = BigInt(/^\d+/.exec(text.trim())?.[0] ?? '0');
  return parsed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parsed) : parsed;
}
