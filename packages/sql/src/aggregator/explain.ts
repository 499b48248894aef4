/**
 * EXPLAIN: the distributed plan of a query, one line per step, saying what runs where —
 * which partitions on which leaves, with the engine SQL they run, and what the aggregator
 * finishes on its merge engine.
 */
import type { ExplainStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { textRows } from './results.js';
import { planQuery, prepareQuery, type QueryPlan } from './select.js';
import { checkFullGroupBy } from './full-group-by.js';
import { explainBroadcast } from './broadcast-explain.js';
import { explainDistributed } from './distributed-select.js';
import { explainFragment } from './fragment-gather.js';
import { explainSubplanCopies } from './subplan-copies.js';
import { findSemiKeys } from '../planner/semi-keys.js';
import { formatExpr } from '../parser/index.js';
import { SEMI_KEYS_MAX } from './semi-keys.js';
import { shownName } from './temporary-tables.js';

const QUERY_KINDS = new Set(['select', 'setOperation', 'with']);

export function explain(context: StatementContext, statement: ExplainStatement): ResultRows {
  const inner = statement.statement;
  if (!QUERY_KINDS.has(inner.kind))
    throw sqlError('NOT_SUPPORTED', 'EXPLAIN is supported for queries');
  const query = inner as Parameters<typeof planQuery>[1];
  checkFullGroupBy(context, query);
  const lines = [
    ...explainBroadcast(context, prepareQuery(context, query)),
    ...explainPlan(context, planQuery(context, query)),
  ];
  return textRows(
    ['EXPLAIN'],
    lines.map((line) => [line]),
  );
}

/** The plan's lines; a sub-plan's own plan is nested under it, indented. */
function explainPlan(context: StatementContext, plan: QueryPlan): string[] {
  const lines: string[] = [];
  if (plan.kind === 'distributed') lines.push(...explainDistributed(plan, context));
  else if (plan.kind === 'partition') {
    const { target, table } = plan;
    const where =
      target.partition.ordinal < 0
        ? 'reference partition'
        : `partition ${target.partition.ordinal}`;
    lines.push(`Gather: results from 1 partition`);
    lines.push(
      `  Partition: ${table.database} ${where} on leaf ${target.leaf.host}:${target.leaf.port} (${table.storage === 'row' ? 'rowstore, SQLite' : 'columnstore, DuckDB'})`,
    );
    lines.push(`    Engine SQL: ${plan.translated.sql}`);
  } else {
    lines.push(...explainSubplanCopies(context, plan));
    lines.push(`Aggregator: finish on the merge engine (DuckDB)`);
    lines.push(`  Engine SQL: ${plan.translated.sql}`);
    for (const source of plan.subplans) {
      const { name, label } = source.subplan;
      lines.push(`  Sub-plan ${name} (${label}): runs first, its rows loaded as ${name}`);
      for (const conjunct of findSemiKeys(source.subplan.query))
        lines.push(
          `    Semi-join keys: ${formatExpr(conjunct)} runs before it; its keys filter it as a literal IN list (at most ${SEMI_KEYS_MAX}; not run when its column is the table's primary key and more rows pass its filter)`,
        );
      lines.push(...explainPlan(context, source.plan).map((line) => `    ${line}`));
    }
    for (const fragment of plan.fragments) lines.push(...explainFragment(fragment));
    for (const source of plan.sources) {
      if (source.virtual !== undefined) {
        lines.push(
          `  Generate: information_schema.${source.virtual.toUpperCase()} as ${source.engineName}`,
        );
        continue;
      }
      const table = source.table;
      if (table === undefined) continue;
      const targets = context.services.cluster.tableTargets(table);
      const count = table.reference ? 1 : targets.length;
      const leaves = [
        ...new Set(targets.map((target) => `${target.leaf.host}:${target.leaf.port}`)),
      ].join(', ');
      lines.push(
        `  Gather: ${table.database}.${shownName(table)} as ${source.engineName} from ${count} ${table.reference ? 'reference partition' : 'partitions'} ` +
          `(${table.storage === 'row' ? 'rowstore' : 'columnstore'}) on ${leaves}`,
      );
    }
  }
  return lines;
}
