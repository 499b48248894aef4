/**
 * LOAD DATA LOCAL INFILE: the client streams the file; rows are parsed as they arrive, checked
 * like INSERT rows, and written in batches. The whole load is one statement: inside one
 * transaction (two-phase commit when it reaches several partitions), so a failure part-way
 * leaves nothing behind. Columnstore loads in plain formats take the fast path (`load-fast.ts`):
 * lines go to the leaves as raw bytes, parsed and checked there by DuckDB.
 */
import type { LoadDataStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultLocalInfile, ResultOk } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase, recordFailure } from './context.js';
import { DelimitedParser, MYSQL_DEFAULTS } from './delimited-parser.js';
import { insertRows } from './insert.js';
import { LoadCounts } from './load-counts.js';
import { LoadRecords } from './load-records.js';
import { isStrictMode } from './compat-lenient-values.js';
import type { Warning } from './context.js';
import { explainDuplicate } from './duplicate-keys.js';
import { FastLoader } from './load-fast.js';
import { fastLoadPlan } from './load-plan.js';
import { sessionZoneMinutes } from './query-options.js';
import { evaluateLoadSet, loadSetPlan } from './load-set.js';
import type { PartitionTarget } from './cluster.js';
import type { TableDef } from '../catalog/types.js';

const BATCH_ROWS = 20_000;
const NO_DEFAULTS: readonly boolean[] = [];

export function loadData(
  context: StatementContext,
  statement: LoadDataStatement,
): ResultLocalInfile {
  if (!statement.local) {
    // The server reads no files of its own (secure_file_priv): MySQL's 1290 for it.
    throw sqlError(
      'OPTION_PREVENTS_STATEMENT',
      'The MySQL server is running with the --secure-file-priv option so it cannot execute this statement',
    );
  }
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
  const parser = new DelimitedParser({
    fieldTerminator: statement.fields?.terminatedBy ?? MYSQL_DEFAULTS.fieldTerminator,
    enclosure: statement.fields?.enclosedBy ?? MYSQL_DEFAULTS.enclosure,
    escape: statement.fields?.escapedBy ?? MYSQL_DEFAULTS.escape,
    lineTerminator: statement.lines?.terminatedBy ?? MYSQL_DEFAULTS.lineTerminator,
    lineStart: statement.lines?.startingBy ?? MYSQL_DEFAULTS.lineStart,
  });
  // Outside UTC a TIMESTAMP field is moved to UTC as INSERT moves it (the exact path).
  const zoned =
    sessionZoneMinutes(context) !== 0 &&
    table.columns.some((column) => column.type === 'timestamp');
  const plan = zoned ? undefined : fastLoadPlan(table, statement);
  const conflict =
    statement.duplicates === 'replace'
      ? 'replace'
      : statement.duplicates === 'ignore'
        ? 'ignore'
        : 'error';
  return {
    kind: 'local-infile',
    fileName: statement.file,
    receive: async (chunks): Promise<ResultOk> => {
      const { coordinator } = context.services;
      const own = context.transaction === undefined ? coordinator.begin() : undefined;
      const scoped: StatementContext =
        own === undefined ? context : { ...context, transaction: own };
      const skip = { lines: statement.ignoreLines ?? 0 };
      let pending: SqlValue[][] = [];
      let pendingDefaults: (readonly boolean[])[] = [];
      const recordWarnings: Warning[] = [];
      const records = new LoadRecords(
        table,
        targets.map((target) => (target.kind === 'column' ? target.column : undefined)),
        conflict === 'ignore' || !isStrictMode(context.session),
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
        const outcome = await insertRows(scoped, table, columns, batch, conflict, defaults);
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
        for await (const chunk of chunks)
          await (fast === undefined ? slow(chunk) : fast.push(chunk));
        if (fast !== undefined) counts.addStored(await fast.finish(), fast.warnings);
        await take(parser.push(decoder.decode()));
        await take(parser.finish());
        await flush();
      } catch (error) {
        await fast?.settle();
        if (own !== undefined) await coordinator.rollback(own);
        // The fast path's duplicates come from DuckDB alone (its rows never reach the aggregator).
        const failure = explainDuplicate(error, table);
        // The statement ran before the file came: its error becomes the diagnostics here.
        recordFailure(context.session, failure);
        throw failure;
      }
      if (own !== undefined) await coordinator.commit(own);
      return counts.result(context);
    },
  };
}

function partitionTargets(context: StatementContext, table: TableDef): PartitionTarget[] {
  const { cluster, catalog } = context.services;
  return cluster.partitions(catalog.requireDatabase(table.database));
}
