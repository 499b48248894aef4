/**
 * LOAD DATA LOCAL INFILE: the client streams the file; rows are parsed as they arrive, checked
 * like INSERT rows, and written in batches. The whole load is one statement: inside one
 * transaction (two-phase commit when it reaches several partitions), so a failure part-way
 * leaves nothing behind; in the session's explicit transaction, a failure rolls back the
 * statement's writes to its statement savepoint (`savepoints.ts`), as other statements do.
 * LOCAL implies IGNORE, as in MySQL and MariaDB: duplicate keys are skipped and values that do
 * not fit are adjusted, each with a warning (REPLACE replaces).
 * Columnstore loads in plain formats take the fast path (`load-fast.ts`): lines go to the leaves
 * as raw bytes, parsed and checked there by DuckDB, which stops at the first such row; the load
 * then starts over on the exact path from a copy of the file (`load-spool.ts`).
 */
import { withCheckTable } from './check-errors.js';
import { serverFilesRefused } from './server-files.js';
import type { LoadDataStatement } from '../parser/ast.js';
import { SqlError } from '../errors.js';
import type { ResultLocalInfile, ResultOk } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase, recordFailure } from './context.js';
import { DelimitedParser, MYSQL_DEFAULTS } from './delimited-parser.js';
import { insertRows } from './insert.js';
import { LoadCounts } from './load-counts.js';
import { LoadRecords } from './load-records.js';
import type { Warning } from './context.js';
import { explainDuplicate } from './duplicate-keys.js';
import { FastLoader } from './load-fast.js';
import { fastLoadPlan, type FastLoadPlan } from './load-plan.js';
import { sessionZoneMinutes } from './query-options.js';
import { evaluateLoadSet, loadSetPlan, type LoadSetPlan } from './load-set.js';
import { LoadSpool } from './load-spool.js';
import { undoFailedStatement } from './savepoints.js';
import type { PartitionTarget } from './cluster.js';
import type { TableDef } from '../catalog/types.js';

const BATCH_ROWS = 20_000;
const NO_DEFAULTS: readonly boolean[] = [];

export function loadData(
  context: StatementContext,
  statement: LoadDataStatement,
): ResultLocalInfile {
  // The server reads no files of its own (server-files.ts).
  if (!statement.local) throw serverFilesRefused();
  const table = context.services.catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  const targets =
    statement.columns ??
    table.columns.map((column) => ({ kind: 'column' as const, column: column.name }));
  const setPlan = statement.set.length > 0 ? loadSetPlan(context, statement, targets) : undefined;
  const columns =
    setPlan?.columns ??
    targets.flatMap((target) => (target.kind === 'column' ? [target.column] : []));
  const parserOptions = {
    fieldTerminator: statement.fields?.terminatedBy ?? MYSQL_DEFAULTS.fieldTerminator,
    enclosure: statement.fields?.enclosedBy ?? MYSQL_DEFAULTS.enclosure,
    escape: statement.fields?.escapedBy ?? MYSQL_DEFAULTS.escape,
    lineTerminator: statement.lines?.terminatedBy ?? MYSQL_DEFAULTS.lineTerminator,
    lineStart: statement.lines?.startingBy ?? MYSQL_DEFAULTS.lineStart,
  };
  // Outside UTC a TIMESTAMP field is moved to UTC as INSERT moves it (the exact path).
  const zoned =
    sessionZoneMinutes(context) !== 0 &&
    table.columns.some((column) => column.type === 'timestamp');
  const plan = zoned ? undefined : fastLoadPlan(table, statement);
  // LOCAL implies IGNORE (MySQL and MariaDB): the server cannot stop the client's file part-way,
  // so duplicate keys are skipped and values that do not fit are adjusted, each with a warning.
  const conflict = statement.duplicates === 'replace' ? 'replace' : 'ignore';
  const attempt = (chunks: AsyncIterable<Uint8Array>, fast: boolean): Promise<ResultOk> =>
    receiveOnce(
      context,
      {
        statement,
        table,
        targets,
        columns,
        setPlan,
        parser: new DelimitedParser(parserOptions),
        plan: fast ? plan : undefined,
        conflict,
      },
      chunks,
    );
  return {
    kind: 'local-infile',
    fileName: statement.file,
    receive: async (chunks): Promise<ResultOk> => {
      // The fast path keeps a copy of the file to start over from (its writes undone first).
      const spool =
        plan === undefined
          ? undefined
          : new LoadSpool(() => context.services.merge.scratchFile('load'));
      const iterator = chunks[Symbol.asyncIterator]();
      try {
        if (spool === undefined) return await attempt(iterate(iterator), false);
        try {
          return await attempt(copied(iterator, spool), true);
        } catch (error) {
          // Inside the session's transaction, only when its writes were undone and it goes on.
          const open =
            context.transaction === undefined ||
            context.session.transaction === context.transaction;
          if (!needsExactPath(error) || !open) throw error;
          for await (const chunk of iterate(iterator)) await spool.append(chunk);
          return await attempt(spool.read(), false);
        }
      } catch (thrown) {
        // A broken CHECK names its table (check-errors.ts).
        const error = withCheckTable(thrown, () => [table]);
        // The statement ran before the file came: its error becomes the diagnostics here.
        recordFailure(context.session, error);
        throw error;
      } finally {
        await spool?.remove();
      }
    },
  };
}

interface LoadRun {
  readonly statement: LoadDataStatement;
  readonly table: TableDef;
  readonly targets: NonNullable<LoadDataStatement['columns']>;
  readonly columns: readonly string[];
  readonly setPlan: LoadSetPlan | undefined;
  readonly parser: DelimitedParser;
  readonly plan: FastLoadPlan | undefined;
  readonly conflict: 'replace' | 'ignore';
}

/** Reads the file once, in a transaction of its own unless the session has one. */
async function receiveOnce(
  context: StatementContext,
  run: LoadRun,
  chunks: AsyncIterable<Uint8Array>,
): Promise<ResultOk> {
  const { statement, table, targets, columns, setPlan, parser, plan, conflict } = run;
  const { coordinator } = context.services;
  const own = context.transaction === undefined ? coordinator.begin() : undefined;
  const scoped: StatementContext = own === undefined ? context : { ...context, transaction: own };
  const skip = { lines: statement.ignoreLines ?? 0 };
  let pending: SqlValue[][] = [];
  let pendingDefaults: (readonly boolean[])[] = [];
  const recordWarnings: Warning[] = [];
  const records = new LoadRecords(
    table,
    targets.map((target) => (target.kind === 'column' ? target.column : undefined)),
    true,
    recordWarnings,
  );
  const counts = new LoadCounts(conflict);
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    let batch = pending;
    const defaults = pendingDefaults;
    pending = [];
    pendingDefaults = [];
    if (setPlan !== undefined)
      batch = await evaluateLoadSet(scoped, setPlan, batch as (string | null)[][]);
    // Rows of a load are rows of one statement, however few a batch holds (MariaDB skips a
    // single line that breaks a CHECK with a warning, as it skips one of many).
    const outcome = await insertRows(scoped, table, columns, batch, conflict, defaults, true);
    counts.add(batch.length, outcome, recordWarnings.splice(0));
  };
  const take = async (read: (string | null)[][]): Promise<void> => {
    for (const record of read) {
      if (skip.lines > 0) {
        skip.lines -= 1;
        continue;
      }
      if (setPlan !== undefined) {
        // SET reads every field (also the `@var` ones): the whole record waits for `flush`.
        pending.push(records.fields(record));
        pendingDefaults.push(NO_DEFAULTS);
      } else {
        const row = records.row(record);
        pending.push(row.values);
        pendingDefaults.push(row.defaults ?? NO_DEFAULTS);
      }
      if (pending.length >= BATCH_ROWS) await flush();
    }
  };
  const decoder = new TextDecoder();
  const slow = async (chunk: Uint8Array): Promise<void> =>
    take(parser.push(decoder.decode(chunk, { stream: true })));
  const transaction = scoped.transaction;
  const fast =
    plan === undefined || transaction === undefined
      ? undefined
      : new FastLoader({
          context: scoped,
          transaction,
          plan,
          targets: partitionTargets(context, table),
          skip,
          slow,
        });
  try {
    for await (const chunk of chunks) await (fast === undefined ? slow(chunk) : fast.push(chunk));
    if (fast !== undefined) counts.addStored(await fast.finish(), fast.warnings);
    await take(parser.push(decoder.decode()));
    await take(parser.finish());
    await flush();
  } catch (error) {
    await fast?.settle();
    if (own !== undefined) await coordinator.rollback(own);
    else if (context.transaction !== undefined)
      await undoFailedStatement(context, context.transaction, error);
    // The fast path's duplicates come from DuckDB alone (its rows never reach the aggregator).
    throw explainDuplicate(error, table);
  }
  if (own !== undefined) await coordinator.commit(own);
  return counts.result(context);
}

/**
 * What the fast path stops at and the exact path stores with a warning (a duplicate key, a
 * value that does not fit) or skips with one (a CHECK the row breaks, 4025): the load starts
 * over there. Anything else (KILL, a leaf lost) is the load's answer.
 */
const EXACT_PATH_ERRORS: ReadonlySet<number> = new Set([
  1048, 1062, 1263, 1264, 1265, 1292, 1366, 1406, 1690, 4025,
]);

function needsExactPath(error: unknown): boolean {
  return error instanceof SqlError && EXACT_PATH_ERRORS.has(error.errno);
}

async function* iterate(iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
    yield next.value;
}

/** The chunks, each kept in `spool` first; stopping early leaves the rest unread. */
async function* copied(
  iterator: AsyncIterator<Uint8Array>,
  spool: LoadSpool,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of iterate(iterator)) {
    await spool.append(chunk);
    yield chunk;
  }
}

function partitionTargets(context: StatementContext, table: TableDef): PartitionTarget[] {
  const { cluster, catalog } = context.services;
  return cluster.partitions(catalog.requireDatabase(table.database));
}
