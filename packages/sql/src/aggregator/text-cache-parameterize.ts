/**
 * Turning a parsed query text into its parameterized statement: the literals whose value can
 * change without changing the plan become parameters, the others stay part of the shape
 * ("verbatim": texts with other values there are other shapes).
 *
 * Only these positions take parameters, because only there a parameter means exactly what the
 * literal meant:
 * - a SELECT's WHERE clause (the planner routes by it; `text-cache-verify.ts` then checks that
 *   the engine SQL is the same with the value bound as with the literal written in);
 * - the values of a single-row INSERT ... ON DUPLICATE KEY UPDATE, when a value is the literal
 *   alone (the row is made from the same value either way).
 * Everything else keeps its literals: select lists (MySQL names a column `1` after its text),
 * ORDER BY 1 (a position), LIMIT, ON DUPLICATE KEY UPDATE expressions, and anything the parser
 * read as something other than a plain literal (DATE '…', `'a' 'b'`, introducers).
 */
import type { Expr, InsertStatement, SelectStatement, Statement } from '../parser/ast.js';
import type { ShapeLiteral, TextShape } from './text-cache-shape.js';

export interface Parameterized {
  readonly statement: Statement;
  /** For each parameter index, the ordinal of the literal (in the shape) it stands for. */
  readonly params: readonly number[];
  /** The ordinals of the literals that stay part of the shape. */
  readonly verbatim: readonly number[];
}

/** The parameterized statement, or undefined when the statement is never cached. */
export function parameterize(statement: Statement, shape: TextShape): Parameterized | undefined {
  const regions = allowedRegions(statement);
  if (regions === undefined) return undefined;
  const byPos = new Map<number, number>();
  shape.literals.forEach((literal, ordinal) => byPos.set(literal.token.pos, ordinal));
  // A literal is a parameter only if every node made from its token is a plain literal in an
  // allowed region; a node seen anywhere else keeps the literal verbatim.
  const allowed = new Set<number>();
  const forbidden = new Set<number>();
  const regionSet = new Set<unknown>(regions);
  collect(statement, false);
  function collect(node: unknown, inside: boolean): void {
    if (Array.isArray(node)) {
      for (const item of node) collect(item, inside);
      return;
    }
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    const within = inside || regionSet.has(node);
    const record = node as { kind?: unknown; pos?: unknown };
    if (record.kind === 'literal' && typeof record.pos === 'number') {
      const ordinal = byPos.get(record.pos);
      if (ordinal !== undefined) {
        const literal = shape.literals[ordinal] as ShapeLiteral;
        if (within && isPlainLiteral(node as Expr, literal)) allowed.add(ordinal);
        else forbidden.add(ordinal);
      }
    }
    for (const value of Object.values(node)) collect(value, within);
  }
  const params: number[] = [];
  const indexOf = new Map<number, number>();
  const verbatim: number[] = [];
  shape.literals.forEach((_literal, ordinal) => {
    if (allowed.has(ordinal) && !forbidden.has(ordinal)) {
      indexOf.set(ordinal, params.length);
      params.push(ordinal);
    } else verbatim.push(ordinal);
  });
  const copies = new Map<object, unknown>();
  function rewrite(node: unknown, inside: boolean): unknown {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return node;
    const done = copies.get(node);
    if (done !== undefined) return done;
    const within = inside || regionSet.has(node);
    let result: unknown = node;
    const record = node as { kind?: unknown; pos?: unknown };
    const ordinal =
      within && record.kind === 'literal' && typeof record.pos === 'number'
        ? byPos.get(record.pos)
        : undefined;
    const index = ordinal === undefined ? undefined : indexOf.get(ordinal);
    if (index !== undefined) {
      result = { kind: 'param', index, pos: record.pos };
    } else if (Array.isArray(node)) {
      const items = node.map((item: unknown) => rewrite(item, within));
      if (items.some((item, position) => item !== node[position])) result = items;
    } else {
      let changed = false;
      const entries = Object.entries(node).map(([key, value]) => {
        const next = rewrite(value, within);
        if (next !== value) changed = true;
        return [key, next] as const;
      });
      if (changed) result = Object.fromEntries(entries);
    }
    copies.set(node, result);
    return result;
  }
  return { statement: rewrite(statement, false) as Statement, params, verbatim };
}

/** A literal node the token alone made, with the value the shape reads from that token. */
function isPlainLiteral(node: Expr, literal: ShapeLiteral): boolean {
  if (node.kind !== 'literal' || node.charset !== undefined) return false;
  if (literal.kind === 'string') return node.type === 'string' && node.value === literal.value;
  return node.type === 'int' && node.value === literal.value;
}

/** The subtrees whose literals may become parameters; undefined: the statement is never cached. */
function allowedRegions(statement: Statement): unknown[] | undefined {
  if (statement.kind === 'select') return selectRegions(statement);
  if (statement.kind === 'insert') return upsertRegions(statement);
  if (statement.kind === 'setOperation' || statement.kind === 'with') return [];
  return undefined;
}

function selectRegions(statement: SelectStatement): unknown[] {
  if (statement.into !== undefined) return [];
  return statement.where === undefined ? [] : [statement.where];
}

function upsertRegions(statement: InsertStatement): unknown[] | undefined {
  if (statement.onDuplicateKeyUpdate === undefined || statement.onDuplicateKeyUpdate.length === 0)
    return undefined;
  // A result set of its rows: not the OK the cached upserts answer.
  if (statement.returning !== undefined) return undefined;
  const source = statement.source;
  if (source.kind === 'values') {
    const [row] = source.rows;
    if (source.rows.length !== 1 || row === undefined) return undefined;
    return row.filter((value) => value.kind === 'literal');
  }
  if (source.kind === 'set')
    return source.assignments
      .map((assignment) => assignment.value)
      .filter((value) => value.kind === 'literal');
  return undefined;
}
