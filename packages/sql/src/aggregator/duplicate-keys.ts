/**
 * Rows that repeat a unique key, found and reported as MariaDB does: keys compare as their
 * engine compares them (`catalog/folded-keys.ts`: text folded to lower case, without trailing
 * spaces on a columnstore table), a NULL part never repeats, and the 1062 message names the key
 * and prints the value as the statement wrote it ("Duplicate entry 'A' for key 'PRIMARY'").
 */
import { SqlError, sqlError } from '../errors.js';
import {
  foldedKeys,
  foldsKeys,
  foldText,
  isTextColumn,
  keyEntry,
  uniqueKeys,
  type UniqueKey,
} from '../catalog/folded-keys.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { Assignment } from '../parser/ast.js';

type Row = readonly SqlValue[];

/**
 * The key's values of a complete row as the engine compares them (one string), or undefined
 * when a part is NULL (such a row never repeats a key).
 */
export function keyText(table: TableDef, key: UniqueKey, row: Row): string | undefined {
  return partsText(
    table,
    key,
    key.positions.map((position) => row[position] ?? null),
  );
}

/** `keyText` of the key's own values, in key order. */
export function partsText(table: TableDef, key: UniqueKey, values: Row): string | undefined {
  const folds = foldsKeys(table);
  let text = '';
  for (let part = 0; part < key.columns.length; part++) {
    const value = values[part] ?? null;
    if (value === null) return undefined;
    const column = key.columns[part];
    const fold = folds && column !== undefined && isTextColumn(column);
    text += `${part === 0 ? '' : '\u0000'}${valueText(value, fold)}`;
  }
  return text;
}

/**
 * A value as keys compare it: strings case-insensitively (text of a folding table also without
 * trailing spaces: `fold`), numbers by value, bytes as they are.
 */
export function valueText(value: SqlValue, fold: boolean): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'string') return `s:${fold ? foldText(value) : value.toLowerCase()}`;
  return `n:${String(value)}`;
}

export function duplicateEntry(key: UniqueKey, row: Row): SqlError {
  return sqlError('DUP_ENTRY', `Duplicate entry '${keyEntry(key, row)}' for key '${key.name}'`);
}

/**
 * The first row of a statement that repeats an earlier row's folded key, as MariaDB refuses it
 * (1062; the statement then writes nothing). Only tables with fold indexes are checked here:
 * DuckDB reports such rows by their folded value alone, without the key.
 */
export function statementDuplicate(table: TableDef, rows: readonly Row[]): SqlError | undefined {
  const keys = foldedKeys(table);
  if (keys.length === 0 || rows.length < 2) return undefined;
  const seen = keys.map(() => new Set<string>());
  for (const row of rows) {
    for (const [index, key] of keys.entries()) {
      const text = keyText(table, key, row);
      if (text === undefined) continue;
      const keySeen = seen[index] as Set<string>;
      if (keySeen.has(text)) return duplicateEntry(key, row);
      keySeen.add(text);
    }
  }
  return undefined;
}

/**
 * REPLACE's rows without those a later row of the statement replaces (MariaDB inserts the
 * earlier row, then deletes it for the later one: `replaced` counts them, two affected rows
 * each).
 */
export function lastOfDuplicates(
  table: TableDef,
  rows: SqlValue[][],
): { rows: SqlValue[][]; replaced: number } {
  const keys = uniqueKeys(table);
  if (keys.length === 0 || rows.length < 2) return { rows, replaced: 0 };
  const owners = keys.map(() => new Map<string, number>());
  const dropped = new Set<number>();
  rows.forEach((row, index) => {
    for (const [position, key] of keys.entries()) {
      const text = keyText(table, key, row);
      if (text === undefined) continue;
      const owner = owners[position] as Map<string, number>;
      const earlier = owner.get(text);
      if (earlier !== undefined && !dropped.has(earlier)) dropped.add(earlier);
      owner.set(text, index);
    }
  });
  if (dropped.size === 0) return { rows, replaced: 0 };
  return { rows: rows.filter((_, index) => !dropped.has(index)), replaced: dropped.size };
}

/** What a statement tells about the values that may have collided. */
export interface DuplicateContext {
  /** The statement's complete rows (INSERT, REPLACE, LOAD DATA's exact path). */
  readonly rows?: readonly Row[];
  /** The keys that may have collided, when the message cannot tell (the keys ALTER adds). */
  readonly suspects?: readonly string[];
  /** The text an UPDATE assigns to columns, when it is a constant. */
  readonly assigned?: ReadonlyMap<string, string>;
}

/**
 * A 1062 from the partitions of a table with fold indexes, said as MariaDB says it. DuckDB
 * names a fold index's collision by its columns, or not at all for rows of one statement or
 * transaction ('PRIMARY'), and prints the folded values; this names the key and prints the
 * values as written: the first row of the statement whose key has those values, or the text
 * an UPDATE assigned.
 */
export function explainDuplicate(
  error: unknown,
  table: TableDef,
  known: DuplicateContext = {},
): unknown {
  if (!(error instanceof SqlError) || error.errno !== 1062) return error;
  const reported = /^Duplicate entry '(.*)' for key '(.*)'$/s.exec(error.message);
  if (foldedKeys(table).length === 0 || reported === null) return error;
  const entry = reported[1] ?? '';
  const named = reported[2] ?? '';
  const keys = uniqueKeys(table);
  // 'PRIMARY' may stand for any key (see above); another name is a key's or its columns'.
  const byColumns = keys.filter(
    (key) =>
      named !== 'PRIMARY' &&
      (key.name === named || key.columns.map((column) => column.name).join('_') === named),
  );
  const { rows, suspects, assigned } = known;
  const candidates =
    byColumns.length > 0
      ? byColumns
      : keys.filter((key) => suspects === undefined || suspects.includes(key.name));
  for (const key of candidates) {
    const row = rows?.find((candidate) => foldedEntry(table, key, candidate) === foldText(entry));
    if (row !== undefined) return duplicateEntry(key, row);
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only === undefined) return error;
  const written = assigned === undefined ? entry : assignedEntry(only, entry, assigned);
  if (only.name === named && written === entry) return error;
  const message = `Duplicate entry '${written}' for key '${only.name}'`;
  return new SqlError(error.errno, error.sqlState, message, { cause: error });
}

/** The folded entry with each part an UPDATE assigned as written ('1-a' → '1-A'). */
function assignedEntry(
  key: UniqueKey,
  entry: string,
  assigned: ReadonlyMap<string, string>,
): string {
  const parts = entry.split('-');
  if (parts.length !== key.columns.length) return entry;
  return parts
    .map((part, index) => {
      const text = assigned.get(key.columns[index]?.name.toLowerCase() ?? '');
      return text !== undefined && foldText(text) === foldText(part) ? text : part;
    })
    .join('-');
}

/** A row's key values printed as DuckDB prints a fold index's values, folded like its entry. */
function foldedEntry(table: TableDef, key: UniqueKey, row: Row): string {
  const folds = foldsKeys(table);
  return key.positions
    .map((position, part) => {
      const value = row[position] ?? null;
      const column = key.columns[part];
      if (value === null) return 'NULL';
      const text =
        value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value);
      return column !== undefined && isTextColumn(column) && folds
        ? foldText(text)
        : text.toLowerCase();
    })
    .join('-');
}

/** The text an UPDATE's SET gives columns as a constant string (a literal or a `?`). */
export function assignedTexts(
  assignments: readonly Assignment[],
  params: readonly SqlValue[],
): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { column, value } of assignments) {
    const text =
      value.kind === 'literal' && value.type === 'string'
        ? value.value
        : value.kind === 'param'
          ? params[value.index]
          : undefined;
    if (typeof text === 'string') texts.set(column.column.toLowerCase(), text);
  }
  return texts;
}
