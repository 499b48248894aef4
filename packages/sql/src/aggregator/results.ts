/** Small builders for statement results. */
import type { ResultOk, ResultRows } from '../protocol/backend.js';
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import { ER, type ErName } from '../errors.js';
import type { StatementContext } from './context.js';

export function ok(
  affectedRows = 0,
  options: { lastInsertId?: number | bigint; info?: string; warnings?: number } = {},
): ResultOk {
  return {
    kind: 'ok',
    affectedRows,
    lastInsertId: options.lastInsertId ?? 0,
    ...(options.info !== undefined ? { info: options.info } : {}),
    ...(options.warnings !== undefined ? { warnings: options.warnings } : {}),
  };
}

export function column(
  name: string,
  type: SqlType = 'varchar',
  extra: Partial<ColumnMeta> = {},
): ColumnMeta {
  const length = type === 'varchar' ? 256 : type === 'bigint' ? 21 : undefined;
  return { name, type, ...(length !== undefined ? { length } : {}), ...extra };
}

export function rows(
  columns: readonly ColumnMeta[],
  values: readonly (readonly SqlValue[])[],
): ResultRows {
  return { kind: 'rows', columns, rows: values };
}

/**
 * A computed text column as MariaDB sends those of its SHOW statements (SHOW CREATE TABLE,
 * SHOW WARNINGS): VARCHAR of `characters`, decimals 39, NOT NULL unless said otherwise.
 */
export function computedText(name: string, characters: number, nullable = false): ColumnMeta {
  return { name, type: 'varchar', length: characters, scale: 39, nullable };
}

/** A result whose columns are all text (SHOW statements). */
export function textRows(
  names: readonly string[],
  values: readonly (readonly SqlValue[])[],
): ResultRows {
  return rows(
    names.map((name) => column(name)),
    values,
  );
}

/** MySQL's LIKE pattern (with `%`, `_` and backslash escapes) as a case-insensitive matcher. */
export function likeMatcher(pattern: string | undefined): (text: string) => boolean {
  if (pattern === undefined) return () => true;
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (char === '\\' && index + 1 < pattern.length) {
      index += 1;
      source += escapeRegExp(pattern[index] ?? '');
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  const regex = new RegExp(`^${source}$`, 'is');
  return (text) => regex.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An OK result with notes, as MySQL answers `DROP … IF EXISTS` of something missing or
 * `CREATE … IF NOT EXISTS` of something present: the count in the OK packet, the notes for
 * SHOW WARNINGS.
 */
export function okWithNotes(
  context: StatementContext,
  notes: readonly { readonly code: ErName; readonly message: string }[],
): ResultOk {
  context.session.warnings = notes.map((note) => ({
    level: 'Note',
    code: ER[note.code][0],
    message: note.message,
  }));
  return ok(0, { warnings: notes.length });
}
