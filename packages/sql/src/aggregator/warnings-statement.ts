/**
 * Which warnings a statement leaves for SHOW WARNINGS, @@warning_count and the OK/EOF packet,
 * as MariaDB keeps its diagnostics area (sql_parse.cc, mysql_execute_command): a statement that
 * raises warnings replaces the list; one that reads tables clears it; any other (SELECT of
 * constants, SET, USE, BEGIN, COMMIT, DO …) leaves the previous statement's list in place, and
 * SHOW WARNINGS / SHOW ERRORS only read it.
 */
import type { Expr, Query, SelectStatement, Statement } from '../parser/ast.js';
import { collectTableUses } from '../planner/tables.js';
import { SqlError } from '../errors.js';
import type { QueryResult } from '../protocol/backend.js';
import type { SessionState, StatementContext, Warning } from './context.js';
import { isStrictMode } from './compat-lenient-values.js';
import { conditionWarnings, expressionWarnings } from './warnings-expressions.js';
import { mayWarn } from './warnings-values.js';
import { substituteVariables } from './substitute.js';

/** Statements that read no table and so leave the previous statement's warnings. */
const KEEPING: ReadonlySet<string> = new Set([
  'set',
  'setNames',
  'setCharset',
  'setTransaction',
  'use',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'releaseSavepoint',
  'do',
  'kill',
  'createDatabase',
  'dropDatabase',
]);

/** SHOW WARNINGS and SHOW ERRORS: diagnostics that never change the list. */
export function isDiagnostic(statement: Statement): boolean {
  return (
    statement.kind === 'show' && (statement.what === 'warnings' || statement.what === 'errors')
  );
}

function keepsWarnings(statement: Statement): boolean {
  if (KEEPING.has(statement.kind)) return true;
  if (statement.kind === 'select' || statement.kind === 'setOperation')
    return collectTableUses(statement).length === 0;
  return false;
}

/** Adds warnings the running statement raised (kept in order, shown when it ends). */
export function raiseWarnings(session: SessionState, warnings: readonly Warning[]): void {
  if (warnings.length === 0) return;
  session.statementWarnings = [...(session.statementWarnings ?? []), ...warnings];
}

/**
 * The error a statement fails with after its values raised `warnings`: they stay in the
 * session's diagnostics before the error, as MariaDB lists them (SHOW WARNINGS).
 */
export function failedAfter(
  context: Pick<StatementContext, 'session'>,
  warnings: readonly Warning[],
  error: unknown,
): unknown {
  raiseWarnings(context.session, warnings);
  return error;
}

/**
 * The session's warnings once `statement` succeeded: what it raised (expression warnings
 * first, then those its handler set in place of `before`), else nothing when it read tables,
 * else `before`. The result carries the count in its OK/EOF packet.
 */
export function finishWarnings(
  session: SessionState,
  options: { statement: Statement; before: Warning[]; result: QueryResult },
): QueryResult {
  const { statement, before, result } = options;
  const raised = session.statementWarnings ?? [];
  session.statementWarnings = undefined;
  if (isDiagnostic(statement)) return result;
  const assigned = session.warnings !== before ? session.warnings : [];
  if (raised.length > 0) {
    session.warnings = [...raised, ...assigned];
    if (result.kind === 'ok' || result.kind === 'rows')
      return { ...result, warnings: session.warnings.length };
    return result;
  }
  // Only a non-empty list is worth the look at the statement's tables.
  if (session.warnings === before && before.length > 0 && !keepsWarnings(statement))
    session.warnings = [];
  return result;
}

/** ERROR_FOR_DIVISION_BY_ZERO is in the session's sql_mode (MariaDB 10.11's default has it). */
export function divisionWarnings(session: Pick<SessionState, 'variables'>): boolean {
  const mode = session.variables.get('sql_mode');
  return typeof mode === 'string' && /(^|,)ERROR_FOR_DIVISION_BY_ZERO(,|$)/i.test(mode);
}

/**
 * The warnings of a query that reads no table (`SELECT 1/0`, a UNION of such selects): each
 * select's WHERE, then its items when the WHERE holds. Nothing for any other query, which
 * costs one look at its FROM.
 */
export function raiseConstantQueryWarnings(context: StatementContext, query: Query): void {
  const selects: SelectStatement[] = [];
  if (!constantSelects(query, selects)) return;
  if (!selects.some((select) => mayWarn(select.columns) || mayWarn(select.where))) return;
  const options = { params: context.params, divisionWarnings: divisionWarnings(context.session) };
  const warnings: Warning[] = [];
  for (const select of substituteVariables(selects, context)) {
    if (select.where !== undefined) {
      // The items are evaluated only when the WHERE holds; when the walk cannot tell, their
      // warnings are left out rather than guessed.
      const condition = conditionWarnings(select.where, options);
      warnings.push(...condition.warnings);
      if (condition.holds !== true) continue;
    }
    warnings.push(
      ...expressionWarnings(
        select.columns.map((item) => item.expr),
        options,
      ),
    );
  }
  raiseWarnings(context.session, warnings);
}

function constantSelects(query: Query, out: SelectStatement[]): boolean {
  if (query.kind === 'setOperation')
    return constantSelects(query.left, out) && constantSelects(query.right, out);
  if (query.kind !== 'select' || (query.from !== undefined && query.from.length > 0)) return false;
  out.push(query);
  return true;
}

/** Raises the warnings of expressions evaluated once (DO, SET, KILL values). */
export function raiseExpressionWarnings(context: StatementContext, exprs: readonly Expr[]): void {
  if (!mayWarn(exprs)) return;
  raiseWarnings(
    context.session,
    expressionWarnings(exprs, {
      params: context.params,
      divisionWarnings: divisionWarnings(context.session),
    }),
  );
}

/** `checkStoredExpressions` for the items of an INSERT … SELECT that reads no table. */
export function checkStoredQuery(context: StatementContext, query: Query): void {
  const selects: SelectStatement[] = [];
  if (!constantSelects(query, selects)) return;
  checkStoredExpressions(
    context,
    substituteVariables(
      selects.flatMap((select) => select.columns.map((item) => item.expr)),
      context,
    ),
  );
}

/** The SQLSTATE of a warning turned into an error: JSON's (40xx) are HY000. */
function sqlStateOf(code: number): string {
  if (code === 1365) return '22012';
  if (code === 1916) return '22003';
  return code >= 4000 && code < 4100 ? 'HY000' : '22007';
}

/**
 * Values an INSERT or UPDATE stores, computed from constants: in strict mode a division by
 * zero (with ERROR_FOR_DIVISION_BY_ZERO) or a truncated number refuses the statement with that
 * warning's error, as MariaDB does; otherwise the warnings are raised.
 */
export function checkStoredExpressions(context: StatementContext, exprs: readonly Expr[]): void {
  if (!mayWarn(exprs)) return;
  const warnings = expressionWarnings(exprs, {
    params: context.params,
    divisionWarnings: divisionWarnings(context.session),
  });
  if (isStrictMode(context.session)) {
    const refused = warnings.find((warning) => warning.level === 'Warning');
    if (refused !== undefined)
      throw new SqlError(refused.code, sqlStateOf(refused.code), refused.message);
  }
  raiseWarnings(context.session, warnings);
}
