/**
 * INSERT IGNORE's duplicate rows, found before the write so each gets MySQL's warning
 * ("Duplicate entry '10' for key 'PRIMARY'", 1062, in row order) and the OK packet counts them.
 * A row repeats a primary or unique key of an earlier row of the statement or of a stored row
 * (read on the row's partition), compared as the engines compare (`duplicate-keys.ts`: text
 * case-insensitively, and without trailing spaces on columnstore tables). The write itself
 * still ignores conflicts, so concurrent writers stay safe.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import {
  foldsKeys,
  keyEntry,
  keySide,
  uniqueKeys,
  type UniqueKey,
} from '../catalog/folded-keys.js';
import type { TableDef } from '../catalog/types.js';
import { ER } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext, Warning } from './context.js';
import { keyText, partsText } from './duplicate-keys.js';
import { execOptions } from './exec-options.js';

/** Keys per lookup statement. */
const LOOKUP_KEYS_MAX = 500;

export interface IgnoredRows {
  readonly kept: SqlValue[][];
  readonly warnings: Warning[];
  /** Rows skipped as duplicates (the OK packet's "Duplicates"). */
  readonly duplicates: number;
  /** Rows skipped for a CHECK they break (not in the OK packet's "Records"). */
  readonly refused: number;
}

/**
 * The rows without those that repeat a key and those `refused` already (a CHECK they break:
 * `check-ignore.ts`, which never count as duplicates), with every skipped row's warning in row
 * order.
 */
export async function dropDuplicateKeys(
  context: StatementContext,
  table: TableDef,
  given: SqlValue[][],
  route: (rows: SqlValue[][]) => Map<PartitionTarget, SqlValue[][]>,
  refused: ReadonlyMap<SqlValue[], Warning> = new Map(),
): Promise<IgnoredRows> {
  const keys = uniqueKeys(table);
  const rows = refused.size === 0 ? given : given.filter((row) => !refused.has(row));
  if (keys.length === 0 || rows.length === 0) return skipped(given, refused, new Map());
  // Each skipped row, with the key it repeats.
  const duplicate = new Map<SqlValue[], UniqueKey>();
  const seen = keys.map(() => new Set<string>());
  const fresh: SqlValue[][] = [];
  for (const row of rows) {
    const texts = keys.map((key) => keyText(table, key, row));
    const repeated = texts.findIndex(
      (text, index) => text !== undefined && (seen[index] as Set<string>).has(text),
    );
    if (repeated >= 0) {
      duplicate.set(row, keys[repeated] as UniqueKey);
      continue;
    }
    texts.forEach((text, index) => {
      if (text !== undefined) (seen[index] as Set<string>).add(text);
    });
    fresh.push(row);
  }
  for (const key of keys) {
    const candidates = fresh.filter(
      (row) => !duplicate.has(row) && keyText(table, key, row) !== undefined,
    );
    if (candidates.length === 0) continue;
    const stored = await storedKeys(context, table, key, route(candidates));
    for (const row of candidates)
      if (stored.has(keyText(table, key, row) ?? '')) duplicate.set(row, key);
  }
  return skipped(given, refused, duplicate);
}

function skipped(
  rows: SqlValue[][],
  refused: ReadonlyMap<SqlValue[], Warning>,
  duplicate: ReadonlyMap<SqlValue[], UniqueKey>,
): IgnoredRows {
  if (duplicate.size === 0 && refused.size === 0)
    return { kept: rows, warnings: [], duplicates: 0, refused: 0 };
  const [code] = ER.DUP_ENTRY;
  const warnings: Warning[] = [];
  const kept: SqlValue[][] = [];
  for (const row of rows) {
    const refusal = refused.get(row);
    const key = duplicate.get(row);
    if (refusal !== undefined) warnings.push(refusal);
    else if (key !== undefined) {
      const message = `Duplicate entry '${keyEntry(key, row)}' for key '${key.name}'`;
      warnings.push({ level: 'Warning', code, message });
    } else kept.push(row);
  }
  return { kept, warnings, duplicates: duplicate.size, refused: refused.size };
}

/** The stored values of one key that the rows' values meet, as `partsText` gives them. */
async function storedKeys(
  context: StatementContext,
  table: TableDef,
  key: UniqueKey,
  groups: Map<PartitionTarget, SqlValue[][]>,
): Promise<Set<string>> {
  const found = new Set<string>();
  const folds = foldsKeys(table);
  const names = key.columns.map((column) => quoteEngineIdentifier(column.name));
  const sides = key.columns.map((column, part) => ({
    stored: keySide(column, names[part] ?? '', folds),
    given: keySide(column, '?', folds),
  }));
  const only = sides.length === 1 ? sides[0] : undefined;
  const match = sides.map(({ stored, given }) => `${stored} = ${given}`).join(' AND ');
  const { cluster } = context.services;
  for (const [target, group] of groups) {
    for (let start = 0; start < group.length; start += LOOKUP_KEYS_MAX) {
      const chunk = group.slice(start, start + LOOKUP_KEYS_MAX);
      const where =
        only !== undefined
          ? `${only.stored} IN (${chunk.map(() => only.given).join(', ')})`
          : chunk.map(() => `(${match})`).join(' OR ');
      const params = chunk.flatMap((row) => key.positions.map((position) => row[position] ?? null));
      const [result] = await cluster.exec(
        [target],
        table.storage,
        () => ({
          sql: `SELECT ${names.join(', ')} FROM ${quoteEngineIdentifier(table.name)} WHERE ${where}`,
          params,
        }),
        execOptions(context, false, context.transaction),
      );
      for (const row of result?.rows ?? []) found.add(partsText(table, key, row) ?? '');
    }
  }
  return found;
}
