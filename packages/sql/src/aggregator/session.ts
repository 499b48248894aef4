/**
 * One client connection on the aggregator: parses each COM_QUERY text into statements, runs
 * them in order, and keeps the session state (current database, variables, transaction,
 * warnings). Autocommit reads run without a transaction; with autocommit off, the first data
 * statement opens one that lasts until COMMIT or ROLLBACK, as in MySQL.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { assertFiniteDoubles } from './double-range.js';
import { foundRows } from './found-rows.js';
import type { Statement } from '../parser/ast.js';
import { parseScript, parseStatement } from '../parser/index.js';
import { withClauseName } from './error-clause.js';
import { statementTables, withCheckTable } from './check-errors.js';
import { withWrittenName } from './error-names.js';
import { notPreparable, SqlPrepared, SQL_PREPARED_KINDS } from './sql-prepared.js';
import { evaluateConstants } from './constants.js';
import { settleLastInsertId } from './last-insert-id.js';
import { returningColumns } from './insert-returning.js';
import { scanLiteralInsert } from '../parser/values-scan.js';
import { SqlError, sqlError } from '../errors.js';
import type {
  BackendSession,
  PreparedStatement,
  QueryResult,
  ResultOk,
  ResultRows,
} from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { AggregatorServices, SessionState, StatementContext } from './context.js';
import { recordFailure } from './context.js';
import type { MyType } from '../dialect/index.js';
import { boundParamTypes } from './param-types.js';
import { DATA_STATEMENTS, dispatch } from './dispatch.js';
import { PlanSlot } from './plan-cache.js';
import { planQuery } from './select.js';
import { pointReadNow } from './point-read.js';
import type { StatementCommand } from './status-counters.js';
import { upsertNow } from './upsert-now.js';
import { checkFullGroupBy } from './full-group-by.js';
import { runText, type TextHost } from './text-cache-run.js';
import { runRebalanceStatement, waitForMoves } from './rebalance.js';
import { armDeadline, idleTimeoutMs, statementDeadline } from './kill-deadline.js';
import { interruptedError } from '../storage/interrupt-scope.js';
import { finishWarnings } from './warnings-statement.js';
import { markStatement, rollbackStatementOrEnd } from './savepoints.js';
import { resultCharsetOf } from './session-charset.js';
import type { ResultCharset } from '../protocol/result-charset.js';
import { dropSessionTemporaries, settleTemporaries } from './ddl-temporary.js';
import { resolveTemporaryNames, slotForRewritten } from './temporary-names.js';
import { commitsImplicitly } from './implicit-commit.js';
import { commit } from './session-statements.js';
import { withoutServerCalls } from './server-calls.js';
import { refuseReadOnlyWrite } from './read-only.js';

/** Leaf requests one statement may have in flight at once. */
const STATEMENT_LISTENERS_MAX = 1_000;

const DEADLOCK = 1213;
const QUERY_KINDS = new Set(['select', 'setOperation', 'with']);
/** Statements that write table data, each rolled back alone inside a transaction. */
const WRITE_KINDS: ReadonlySet<string> = new Set(['insert', 'update', 'delete', 'loadData']);

export class AggregatorSession implements BackendSession {
  /** What the text cache (`text-cache-run.ts`) uses of this session. */
  private readonly textHost: TextHost;
  /** The last statement's controller, kept for the next one while nobody aborted it. */
  private idleController: AbortController | undefined;
  /** Errors already recorded as the diagnostics (`failed`). */
  private readonly recorded = new WeakSet<object>();
  /** PREPARE / EXECUTE / DEALLOCATE PREPARE's statements (sql-prepared.ts). */
  private readonly sqlPrepared = new SqlPrepared({
    prepare: (sql) => this.prepareNow(sql),
    evaluate: async (exprs) =>
      (await evaluateConstants(this.context([]), exprs)).map((value) => value ?? null),
  });

  constructor(
    private readonly services: AggregatorServices,
    readonly state: SessionState,
    private readonly onClose: () => void,
  ) {
    this.textHost = {
      services,
      state,
      run: (statement, params, text, plans) => this.run(statement, params, text, plans),
      context: (params, plans) => this.context(params, Date.now(), plans),
    };
  }

  get database(): string | undefined {
    return this.state.database;
  }

  get inTransaction(): boolean {
    return this.state.transaction !== undefined;
  }

  get autocommit(): boolean {
    return Number(this.state.variables.get('autocommit') ?? 1) !== 0;
  }

  get resultCharset(): ResultCharset {
    return resultCharsetOf(this.state.variables);
  }

  get idleTimeoutMs(): number {
    return idleTimeoutMs(this.state);
  }

  async query(sql: string, options: { multiStatements: boolean }): Promise<QueryResult[]> {
    try {
      return await this.queryNow(sql, options);
    } catch (error) {
      // A statement that never ran (a syntax error) is the diagnostics too, as in MariaDB.
      this.failed(error);
      throw error;
    }
  }

  private async queryNow(
    sql: string,
    options: { multiStatements: boolean },
  ): Promise<QueryResult[]> {
    // An INSERT of literal rows skips the tokens and expression nodes (parser/values-scan.ts).
    // The text cache never makes such a statement ready (only upserts), so it loses nothing.
    const literal = scanLiteralInsert(sql);
    if (literal !== undefined) return [await this.run(literal.statement, [], literal.text)];
    // A one-statement text of a known shape runs its cached plan (text-cache-run.ts); not one
    // that may name the session's temporary tables, whose plans are the session's own.
    const cached = this.state.temporaryTables.mentionedIn(sql)
      ? undefined
      : await runText(this.textHost, sql);
    if (cached !== undefined) return [cached];
    const script = parseScript(sql);
    if (script.length > 1 && !options.multiStatements) {
      const second = script[1];
      throw sqlError(
        'PARSE',
        `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${(second?.text ?? '').slice(0, 80)}' at line 1`,
      );
    }
    const results: QueryResult[] = [];
    for (const entry of script) results.push(await this.run(entry.statement, [], entry.text));
    return results;
  }

  async useDatabase(name: string): Promise<void> {
    await this.run({ kind: 'use', database: name }, [], `USE ${name}`);
  }

  prepare(sql: string): Promise<PreparedStatement> {
    this.countCommand('Com_stmt_prepare');
    return Promise.resolve()
      .then(() => this.prepareNow(sql))
      .catch((error: unknown) => {
        this.failed(error);
        throw error;
      });
  }

  private prepareNow(sql: string): PreparedStatement {
    const statement = parseStatement(sql);
    if (SQL_PREPARED_KINDS.has(statement.kind)) throw notPreparable();
    const paramCount = countParams(statement);
    let columns: PreparedStatement['columns'] = [];
    if (QUERY_KINDS.has(statement.kind)) {
      const context = this.context(new Array<SqlValue>(paramCount).fill(null));
      const query = resolveTemporaryNames(context, withoutServerCalls(statement, sql), sql);
      checkFullGroupBy(context, query as Parameters<typeof planQuery>[1]);
      columns = planQuery(context, query as Parameters<typeof planQuery>[1]).translated.columns;
    } else {
      columns = returningColumns(this.context([]), statement);
    }
    // Each prepared statement keeps its plan between executions (plan-cache.ts).
    const slot = new PlanSlot(statement);
    return {
      paramCount,
      columns,
      execute: (params, types) => {
        this.countCommand('Com_stmt_execute');
        return this.run(statement, params, sql, slot, types && boundParamTypes(types, params));
      },
      close: (byClient) => {
        if (byClient === true) this.countCommand('Com_stmt_close');
      },
      reset: () => this.countCommand('Com_stmt_reset'),
    };
  }

  /** A COM_STMT_* command, in the session's and the server's SHOW STATUS counters. */
  private countCommand(name: StatementCommand): void {
    this.services.status.countCommand(name);
    this.state.status.countCommand(name);
  }

  /** The client is gone: its running statement stops (see kill-statement.ts). */
  cancel(): void {
    this.state.statement?.abort(sqlError('CONNECTION_KILLED', 'Connection was killed'));
  }

  async close(): Promise<void> {
    const transaction = this.state.transaction;
    this.state.transaction = undefined;
    this.sqlPrepared.close();
    this.onClose();
    try {
      if (transaction !== undefined) await this.services.coordinator.rollback(transaction);
    } finally {
      // The session's temporary tables go with it (ddl-temporary.ts).
      await dropSessionTemporaries(this.context([]));
    }
  }

  private context(
    params: readonly SqlValue[],
    nowMs = Date.now(),
    plans?: PlanSlot,
    paramTypes?: readonly (MyType | undefined)[],
    signal?: AbortSignal,
  ): StatementContext {
    // Built field by field: every statement makes one, and spreading the optional fields in
    // cost more than the rest of the object.
    const context: { -readonly [K in keyof StatementContext]: StatementContext[K] } = {
      services: this.services,
      session: this.state,
      params,
      nowMs,
      transaction: this.state.transaction,
      signal,
    };
    if (plans !== undefined) context.plans = plans;
    if (paramTypes !== undefined) context.paramTypes = paramTypes;
    return context;
  }

  private async run(
    statement: Statement,
    params: readonly SqlValue[],
    text: string,
    plans?: PlanSlot,
    paramTypes?: readonly (MyType | undefined)[],
  ): Promise<QueryResult> {
    const state = this.state;
    // A killed connection runs nothing more while it closes.
    if (state.killed) throw sqlError('CONNECTION_KILLED', 'Connection was killed');
    // SHOW STATUS counters (status-counters.ts).
    this.services.status.count(statement);
    state.status.count(statement);
    // EXECUTE runs its statement through here again (sql-prepared.ts).
    if (SQL_PREPARED_KINDS.has(statement.kind)) return this.sqlPrepared.run(statement);
    if (
      DATA_STATEMENTS.has(statement.kind) &&
      state.transaction === undefined &&
      !this.autocommit
    ) {
      state.transaction = this.services.coordinator.begin();
    }
    // The previous statement's warnings stay readable until this one ends (warnings-statement.ts).
    const warningsBefore = state.warnings;
    state.statementWarnings = undefined;
    state.currentSql = text;
    if (this.autocommit && state.transaction === undefined) {
      let answered: QueryResult | undefined = this.pointRead(
        statement,
        params,
        text,
        plans,
        paramTypes,
      );
      const upserted = answered ?? this.upsert(statement, params, text, plans, paramTypes);
      if (upserted !== undefined) answered = await upserted;
      if (answered !== undefined) {
        state.currentSql = undefined;
        return finishWarnings(state, { statement, before: warningsBefore, result: answered });
      }
    }
    // Writes wait while a partition moves, then route by the new placement (rebalance.ts).
    await waitForMoves(this.services.cluster, state, statement);
    const nowMs = Date.now();
    state.statementStartMs = nowMs;
    // KILL and the statement time limits abort this controller (kill-statement.ts).
    const controller = this.statementController();
    state.statement = controller;
    const disarm = armDeadline(controller, statementDeadline(state, statement));
    // A statement of an explicit transaction is rolled back alone when it fails (savepoints.ts);
    // a write statement marks where its writes start.
    const statementTransaction = DATA_STATEMENTS.has(statement.kind)
      ? state.transaction
      : undefined;
    const writes = WRITE_KINDS.has(statement.kind);
    let context = this.context(params, nowMs, plans, paramTypes, controller.signal);
    const opened = context.transaction;
    try {
      // The session's temporary tables shadow the names they have (temporary-names.ts).
      let resolved = resolveTemporaryNames(context, statement, text);
      // LAST_INSERT_ID(expr) sets the session's value as it is evaluated (last-insert-id.ts).
      resolved = await settleLastInsertId(context, resolved, text);
      if (resolved !== statement && plans !== undefined)
        context = { ...context, plans: slotForRewritten(plans, resolved) };
      // DDL commits the open transaction first, as in MariaDB (implicit-commit.ts).
      if (opened !== undefined && commitsImplicitly(resolved, !this.autocommit)) {
        await commit(context);
        context = { ...context, transaction: undefined };
      }
      refuseReadOnlyWrite(state, resolved);
      if (writes && statementTransaction !== undefined)
        await markStatement(context, statementTransaction);
      const result = await (runRebalanceStatement(context, resolved) ??
        dispatch(context, resolved));
      if (result.kind === 'rows') {
        assertFiniteDoubles(result);
        // SHOW WARNINGS/ERRORS read the diagnostics and leave FOUND_ROWS() alone (MariaDB).
        if (!isDiagnostics(statement))
          state.foundRows = await foundRows(context, resolved, result.rows.length);
        // ROW_COUNT() after a statement that returned rows is -1, as in MySQL.
        state.rowCount = -1;
      }
      if (result.kind === 'ok') state.rowCount = rowCountOf(state, result);
      return finishWarnings(state, { statement, before: warningsBefore, result });
    } catch (thrown) {
      let error = thrown;
      // Whatever failed on the way (a cancelled leaf request, an aborted engine transaction),
      // an interrupted statement answers why it was interrupted.
      if (controller.signal.aborted) error = interruptedError(controller.signal);
      // An unknown or ambiguous column names its clause, as MariaDB's do (error-clause.ts).
      else error = withClauseName(error, statement);
      // A broken CHECK names its table (check-errors.ts), a function is named as written.
      error = withWrittenName(
        withCheckTable(error, () => statementTables(context, statement)),
        text,
      );
      const deadlock = error instanceof SqlError && error.errno === DEADLOCK;
      if (
        statementTransaction !== undefined &&
        state.transaction === statementTransaction &&
        !deadlock &&
        !state.killed
      ) {
        // MariaDB rolls back only the statement; the transaction keeps its earlier writes.
        // Should that fail (a leaf lost the transaction), the whole transaction ends.
        await rollbackStatementOrEnd(context, statementTransaction, { wrote: writes });
      }
      if (deadlock && state.transaction !== undefined) {
        // MySQL rolls back the whole transaction on a deadlock.
        const transaction = state.transaction;
        state.transaction = undefined;
        await this.services.coordinator.rollback(transaction);
      }
      this.failed(error);
      throw error;
    } finally {
      disarm();
      state.statement = undefined;
      // A controller nobody aborted serves the next statement (`statementController`).
      this.idleController = controller.signal.aborted ? undefined : controller;
      state.currentSql = undefined;
      // A transaction ended: temporary tables made or dropped in it are settled (ddl-temporary.ts).
      if (opened !== undefined && state.transaction !== opened && state.temporaryTables.waiting)
        await settleTemporaries({ ...context, transaction: undefined }, opened);
    }
  }

  /** The session's last controller when nobody aborted it, else a new one. */
  private statementController(): AbortController {
    const idle = this.idleController;
    this.idleController = undefined;
    // Reused only when the last statement's requests all took their listeners off it.
    if (
      idle !== undefined &&
      !idle.signal.aborted &&
      getEventListeners(idle.signal, 'abort').length === 0
    )
      return idle;
    const controller = new AbortController();
    // Each leaf request in flight listens for it: a statement fans out to every partition, and
    // a gather fetches sub-plans, fragments and tables together (Node warns past 10).
    setMaxListeners(STATEMENT_LISTENERS_MAX, controller.signal);
    return controller;
  }

  /**
   * An autocommit point read answered at once from a local partition file (`point-read.ts`),
   * with the session state a query's rows leave; undefined: the statement runs as usual (which
   * also reports any error the quick path met).
   */
  private pointRead(
    statement: Statement,
    params: readonly SqlValue[],
    text: string,
    plans: PlanSlot | undefined,
    paramTypes: readonly (MyType | undefined)[] | undefined,
  ): ResultRows | undefined {
    if (plans === undefined || statement.kind !== 'select') return undefined;
    const nowMs = Date.now();
    let result: ResultRows | undefined;
    try {
      result = pointReadNow(this.context(params, nowMs, plans, paramTypes), statement, text);
      if (result !== undefined) assertFiniteDoubles(result);
    } catch {
      return undefined;
    }
    if (result === undefined) return undefined;
    this.state.statementStartMs = nowMs;
    this.state.foundRows = result.rows.length;
    this.state.rowCount = -1;
    return result;
  }

  /**
   * An autocommit single-row upsert written to a local partition file in the next group commit
   * (`upsert-now.ts`), with the session state a write leaves; undefined: the statement runs as
   * usual (nothing was written).
   */
  private upsert(
    statement: Statement,
    params: readonly SqlValue[],
    text: string,
    plans: PlanSlot | undefined,
    paramTypes: readonly (MyType | undefined)[] | undefined,
  ): Promise<ResultOk | undefined> | undefined {
    if (plans === undefined || statement.kind !== 'insert') return undefined;
    const nowMs = Date.now();
    const context = this.context(params, nowMs, plans, paramTypes);
    return upsertNow(context, statement, text)?.then((result) => {
      if (result === undefined) return undefined;
      this.state.statementStartMs = nowMs;
      this.state.rowCount = rowCountOf(this.state, result);
      return result;
    });
  }

  /**
   * A failed statement leaves its error as the diagnostics and ROW_COUNT() -1 (MariaDB), once:
   * the text's handler sees again the error its statement recorded with its warnings.
   */
  private failed(error: unknown): void {
    if (typeof error === 'object' && error !== null) {
      if (this.recorded.has(error)) return;
      this.recorded.add(error);
    }
    recordFailure(this.state, error);
  }
}

/**
 * ROW_COUNT() after a write: the affected rows the client is told (rows changed, or matched for
 * a client with CLIENT_FOUND_ROWS), as in MariaDB.
 */
function rowCountOf(state: SessionState, result: ResultOk): number {
  return result.changed !== undefined && state.clientFoundRows !== true
    ? result.changed.affectedRows
    : result.affectedRows;
}

function countParams(node: unknown): number {
  let max = -1;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as { kind?: unknown; index?: unknown };
    if (record.kind === 'param' && typeof record.index === 'number')
      max = Math.max(max, record.index);
    for (const child of Object.values(value))
      if (child !== null && typeof child === 'object') visit(child);
  };
  visit(node);
  return max + 1;
}

function isDiagnostics(statement: Statement): boolean {
  return (
    statement.kind === 'show' && (statement.what === 'warnings' || statement.what === 'errors')
  );
}
