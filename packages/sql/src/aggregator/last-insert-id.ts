/**
 * LAST_INSERT_ID(expr): returns expr as an unsigned integer and makes it the session's value,
 * which LAST_INSERT_ID() reads afterwards (MariaDB: NULL returns NULL and sets 0). The call is
 * evaluated here, in statement order, and replaced by its value before the statement runs, in
 * the statements that evaluate it exactly once: SELECT without FROM, DO, SET and INSERT …
 * VALUES. One more form is run per row: an assignment of ON DUPLICATE KEY UPDATE or UPDATE
 * whose whole value is the call (`id = LAST_INSERT_ID(id)`, the idiom that hands back the id of
 * the row met; `UPDATE seq SET id = LAST_INSERT_ID(id + 1)`, a sequence): the engine runs the
 * argument, and the statement reads the value back — the upsert from the row it left
 * (insert.ts), the UPDATE from its count of matched rows (update-delete.ts). Anywhere else where it would run once per row (over
 * columns, or in a statement that reads a table), the engines could not hand the value back:
 * 1235 rather than a wrong answer.
 */
import type { Assignment, Expr, Statement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';

export const LAST_INSERT_ID_CALL = /last_insert_id\s*\(\s*[^)\s]/i;

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
  if (text !== undefined && !LAST_INSERT_ID_CALL.test(text)) return statement;
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
  // Assignments `column = LAST_INSERT_ID(expr)` are left for the statement to run per row.
  const assigned = async (assignments: readonly Assignment[]): Promise<Assignment[]> => {
    const settled: Assignment[] = [];
    for (const assignment of assignments)
      settled.push(isSetting(assignment) ? assignment : ((await settle(assignment)) as Assignment));
    return settled;
  };
  if (statement.kind === 'insert' && statement.onDuplicateKeyUpdate !== undefined) {
    const { onDuplicateKeyUpdate, ...rest } = statement;
    const update = await assigned(onDuplicateKeyUpdate);
    return { ...((await settle(rest)) as typeof rest), onDuplicateKeyUpdate: update };
  }
  if (statement.kind === 'update') {
    const { set, ...rest } = statement;
    const update = await assigned(set);
    return { ...((await settle(rest)) as typeof rest), set: update };
  }
  return (await settle(statement)) as Statement;
}

/** An assignment `column = LAST_INSERT_ID(expr)` (UPDATE, ON DUPLICATE KEY UPDATE), its argument plain. */
function isSetting(node: unknown): node is Assignment {
  const assignment = node as Partial<Assignment> | null;
  return (
    assignment !== null &&
    typeof assignment === 'object' &&
    assignment.column?.kind === 'column' &&
    isSettingCall(assignment.value) &&
    !holds(assignment.value.args, isSettingCall)
  );
}

/**
 * The assignments of an UPDATE or ON DUPLICATE KEY UPDATE with each `column =
 * LAST_INSERT_ID(expr)` run as `column = expr`, and the column whose value after the update is
 * the statement's new LAST_INSERT_ID (the last of them, as the assignments run in order).
 */
export function settingAssignments(assignments: readonly Assignment[]): {
  readonly assignments: readonly Assignment[];
  readonly setting?: string;
} {
  let setting: string | undefined;
  const plain = assignments.map((assignment) => {
    if (!isSetting(assignment)) return assignment;
    setting = assignment.column.column;
    return { ...assignment, value: (assignment.value as CallNode).args[0] as Expr };
  });
  return setting === undefined ? { assignments } : { assignments: plain, setting };
}

/** A column's value as LAST_INSERT_ID(value) returns it: BIGINT UNSIGNED. */
export function unsignedOf(value: SqlValue): number | bigint {
  if (typeof value === 'number' && Number.isFinite(value))
    return narrow(BigInt.asUintN(64, BigInt(Math.round(value))));
  if (typeof value === 'bigint') return narrow(BigInt.asUintN(64, value));
  return integer(value) ?? 0;
}

function narrow(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
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
  return narrow(BigInt(/^\d+/.exec(text.trim())?.[0] ?? '0'));
}
