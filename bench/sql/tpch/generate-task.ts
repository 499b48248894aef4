// One unit of generation work, run in a worker thread (or in-process): the small tables, the
// parts with their suppliers, or a range of orders with their lines written to piece files that
// generate.ts concatenates in order.
import { join } from 'node:path';
import type { TableName } from './schema.js';
import {
  scaleOf,
  writeCustomer,
  writeNation,
  writeOrdersAndLines,
  writePart,
  writePartSupp,
  writeRegion,
  writeSupplier,
  type OrderRange,
} from './tables.js';
import { TableWriter } from './writer.js';

export type GenerateTask =
  | { readonly kind: 'small' }
  | { readonly kind: 'part' }
  | { readonly kind: 'orders'; readonly range: OrderRange; readonly piece: number };

export interface TaskInput {
  readonly sf: number;
  readonly directory: string;
  readonly pool: string;
  readonly task: GenerateTask;
}

/** The file of a piece of a table that is generated in several ranges. */
export function piecePath(directory: string, table: TableName, piece: number): string {
  return join(directory, `${table}.tbl.${piece}`);
}

/** Runs one task and returns the rows written per table. */
export function runTask(input: TaskInput): Partial<Record<TableName, number>> {
  const { directory, pool, task } = input;
  const scale = scaleOf(input.sf);
  const counts: Partial<Record<TableName, number>> = {};
  const single = (name: TableName, write: (out: TableWriter) => void): void => {
    const out = new TableWriter(join(directory, `${name}.tbl`));
    write(out);
    out.close();
    counts[name] = out.rows;
  };
  if (task.kind === 'small') {
    single('region', (out) => writeRegion(out, pool));
    single('nation', (out) => writeNation(out, pool));
    single('supplier', (out) => writeSupplier(out, pool, scale));
    single('customer', (out) => writeCustomer(out, pool, scale));
  } else if (task.kind === 'part') {
    single('part', (out) => writePart(out, pool, scale));
    single('partsupp', (out) => writePartSupp(out, pool, scale));
  } else {
    const orders = new TableWriter(piecePath(directory, 'orders', task.piece));
    const lines = new TableWriter(piecePath(directory, 'lineitem', task.piece));
    writeOrdersAndLines(orders, lines, pool, scale, task.range);
    orders.close();
    lines.close();
    counts.orders = orders.rows;
    counts.lineitem = lines.rows;
  }
  return counts;
}
