/**
 * Engine errors → MySQL errors. The messages follow MySQL's wording (`ER_DUP_ENTRY`,
 * `ER_BAD_NULL_ERROR`, `ER_NO_SUCH_TABLE`, ...), filled with what the engine message reveals.
 */
import { SqlError, sqlError } from '../errors.js';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function isSqliteBusy(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_LOCKED' ||
    code.startsWith('SQLITE_BUSY_') ||
    code.startsWith('SQLITE_LOCKED_')
  );
}

/** SQLite: "UNIQUE constraint failed: t.a, t.b", "NOT NULL constraint failed: t.c", "no such table: t". */
export function sqliteError(error: unknown, statement?: StatementContext): SqlError {
  if (error instanceof SqlError) return error;
  const message = messageOf(error);
  const raised = raisedError(message, error);
  if (raised !== undefined) return raised;
  const code = codeOf(error);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    const columns = /constraint failed: (.*)$/.exec(message)?.[1] ?? '';
    const key = code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? 'PRIMARY' : uniqueKeyName(columns);
    const keyColumns = columns.split(', ').map((column) => lastName(column.trim()));
    return sqlError(
      'DUP_ENTRY',
      `Duplicate entry '${duplicateEntry(keyColumns, statement)}' for key '${key}'`,
      error,
    );
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    return sqlError(
      'BAD_NULL',
      `Column '${lastName(/constraint failed: (.*)$/.exec(message)?.[1] ?? '')}' cannot be null`,
      error,
    );
  }
  const range = /^CHECK constraint failed: exo_range__(.*)$/.exec(message)?.[1];
  if (range !== undefined)
    return sqlError('OUT_OF_RANGE', `Out of range value for column '${range}' at row 1`, error);
  if (isSqliteBusy(error)) {
    return sqlError(
      'LOCK_WAIT_TIMEOUT',
      'Lock wait timeout exceeded; try restarting transaction',
      error,
    );
  }
  const table = /^no such table: (.*)$/.exec(message)?.[1];
  if (table !== undefined)
    return sqlError('NO_SUCH_TABLE', `Table '${table}' doesn't exist`, error);
  const column = /^no such column: (.*)$/.exec(message)?.[1];
  if (column !== undefined)
    return sqlError('BAD_FIELD', `Unknown column '${column}' in 'field list'`, error);
  if (/^table .* already exists$/.test(message))
    return sqlError('TABLE_EXISTS', message.replace(/^table (\S+)/, "Table '$1'"), error);
  return sqlError('INTERNAL', `Rowstore error: ${message}`, error);
}

/** DuckDB: 'Constraint Error: Duplicate key "id: 5" violates primary key constraint.' and friends. */
export function duckdbError(error: unknown, sql?: string): SqlError {
  if (error instanceof SqlError) return error;
  const message = messageOf(error);
  const raised = raisedError(message, error);
  if (raised !== undefined) return raised;
  // A value computed on the leaf (`SET a = a * 100`) that its typed column cannot hold.
  const conversion =
    /Conversion Error: Type \w+ with value \S+ can't be cast because the value is out of range for the destination type (\w+)/.exec(
      message,
    );
  const decimal =
    /Casting value "[^"]*" to type (DECIMAL)\(\d+,\d+\) failed: value is out of range/.exec(
      message,
    );
  // MySQL computes with an unsigned operand in unsigned 64 bits (dialect/operators.ts).
  if (conversion?.[1] === 'UINT64') {
    const value = /with value (\S+)/.exec(message)?.[1] ?? '';
    return sqlError(
      'DATA_OUT_OF_RANGE',
      `BIGINT UNSIGNED value is out of range in '${value}'`,
      error,
    );
  }
  const outOfRange = conversion ?? decimal;
  if (outOfRange !== null) {
    const column = assignedColumn(sql);
    // In an expression (`f DIV 1` of 1e20) MariaDB's 1690 names the type; it has the
    // expression's text, which the engine does not give back, so the value stands in.
    if (column === undefined && conversion?.[1] === 'INT64') {
      const value = /with value (\S+)/.exec(message)?.[1] ?? '';
      return sqlError('DATA_OUT_OF_RANGE', `BIGINT value is out of range in '${value}'`, error);
    }
    const target = column === undefined ? `a ${outOfRange[1] ?? ''} column` : `column '${column}'`;
    return sqlError('OUT_OF_RANGE', `Out of range value for ${target} at row 1`, error);
  }
  const duplicate = /Duplicate key "(.*)" violates (primary key|unique) constraint/s.exec(message);
  if (duplicate !== null) {
    const parts = keyParts(duplicate[1] ?? '');
    const values = parts.map((part) => part.value).join('-');
    const key =
      duplicate[2] === 'primary key'
        ? 'PRIMARY'
        : uniqueKeyName(parts.map((part) => part.column).join(', '));
    return sqlError('DUP_ENTRY', `Duplicate entry '${values}' for key '${key}'`, error);
  }
  // Rows of one statement or transaction that collide: DuckDB names neither key nor columns,
  // and prints the values (folded for a fold index) joined by ', '.
  const localDuplicate = /constraint violation: duplicate key "(.*)"/s.exec(message);
  if (localDuplicate !== null) {
    const values = (localDuplicate[1] ?? '').split(', ').join('-');
    return sqlError('DUP_ENTRY', `Duplicate entry '${values}' for key 'PRIMARY'`, error);
  }
  const notNull = /NOT NULL constraint failed: (\S+)/.exec(message);
  if (notNull !== null)
    return sqlError('BAD_NULL', `Column '${lastName(notNull[1] ?? '')}' cannot be null`, error);
  if (isDuckdbConflict(error)) {
    return sqlError(
      'LOCK_DEADLOCK',
      'Deadlock found when trying to get lock; try restarting transaction',
      error,
    );
  }
  const overflow = /Overflow in \w+ of (\w+) \((.*)\)!/.exec(message);
  if (overflow !== null) {
    const type = overflow[1] === 'DECIMAL' ? 'DECIMAL' : 'BIGINT';
    return sqlError(
      'DATA_OUT_OF_RANGE',
      `${type} value is out of range in '${overflow[2] ?? ''}'`,
      error,
    );
  }
  // The one integer division that overflows: the smallest BIGINT DIV -1.
  const division = /Overflow in division of (-?\d+) \/ (-?\d+)/.exec(message);
  if (division !== null)
    return sqlError(
      'DATA_OUT_OF_RANGE',
      `BIGINT value is out of range in '${division[1] ?? ''} DIV ${division[2] ?? ''}'`,
      error,
    );
  if (/Subquery returns \d+ columns - expected 1/.test(message))
    return sqlError('OPERAND_COLUMNS', 'Operand should contain 1 column(s)', error);
  if (/More than one row returned by a subquery/.test(message))
    return sqlError('SUBQUERY_NO_1_ROW', 'Subquery returns more than 1 row', error);
  const table = /Table with name (\S+) does not exist/.exec(message);
  if (table !== null)
    return sqlError('NO_SUCH_TABLE', `Table '${table[1] ?? ''}' doesn't exist`, error);
  const column = /Referenced column "([^"]*)" not found/.exec(message);
  if (column !== null)
    return sqlError('BAD_FIELD', `Unknown column '${column[1] ?? ''}' in 'field list'`, error);
  const exists = /Table with name "?([^"\s]+)"? already exists/.exec(message);
  if (exists !== null)
    return sqlError('TABLE_EXISTS', `Table '${exists[1] ?? ''}' already exists`, error);
  // A pattern the regular expression engine cannot compile (RE2's messages): MySQL's 1139.
  const regex = REGEX_ERROR.exec(message);
  if (regex !== null) return sqlError('REGEX_ERROR', `Regex error '${regex[1] ?? ''}'`, error);
  return sqlError('INTERNAL', `Columnstore error: ${message.split('\n')[0] ?? message}`, error);
}

const REGEX_ERROR =
  /Invalid Input Error: ((?:invalid escape sequence|invalid character class(?: range)?|missing [\])]|unexpected \)|trailing \\|no argument for repetition operator|invalid repetition size|bad repetition operator|invalid perl operator|invalid named capture group|invalid UTF-8)[^\n]*)/;

/**
 * A write's value check raised on the partition (dialect/functions/write-checks.ts):
 * `exo-raise:<errno>:<sqlstate>:<message>`.
 */
function raisedError(message: string, error: unknown): SqlError | undefined {
  // A CHECK constraint names itself in its clause (`exo_check__<name>`, catalog/engine-ddl.ts
  // CHECK_PREFIX, written by aggregator/ddl-checks.ts).
  const check = /exo_check__((?:[^'\n]|'')*)/.exec(message)?.[1];
  if (check !== undefined)
    // The statement's tables complete it as MariaDB's (aggregator/check-errors.ts).
    return sqlError(
      'CHECK_VIOLATED',
      `CONSTRAINT \`${check.replaceAll("''", "'")}\` failed`,
      error,
    );
  const raised = /exo-raise:(\d{4}):(\w{5}):([^\n]*)/.exec(message);
  if (raised === null) return undefined;
  return new SqlError(Number(raised[1]), raised[2] ?? 'HY000', raised[3] ?? '', { cause: error });
}

/** The column an engine UPDATE assigns, when it assigns exactly one. */
function assignedColumn(sql: string | undefined): string | undefined {
  if (sql === undefined || !/^\s*UPDATE\b/i.test(sql)) return undefined;
  const set = /\bSET\s+([\s\S]*?)(?:\s+WHERE\s|$)/i.exec(sql)?.[1] ?? '';
  const names = [...set.matchAll(/(?:^|,\s*)"((?:[^"]|"")+)"\s*=/g)].map((match) =>
    (match[1] ?? '').replace(/""/g, '"'),
  );
  return names.length === 1 ? names[0] : undefined;
}

/** Optimistic write-write conflicts, which MySQL would have reported as a deadlock. */
export function isDuckdbConflict(error: unknown): boolean {
  const message = messageOf(error);
  return /Conflict on tuple|Transaction conflict|write-write conflict|Conflict on update/i.test(
    message,
  );
}

/**
 * The `<expression>: <value>` parts of DuckDB's duplicate key, each expression a column or a
 * fold index's `lower(rtrim(<column>, ' '))` (catalog/folded-keys.ts), reduced to its column.
 */
function keyParts(text: string): { column: string; value: string }[] {
  const starts = [
    ...text.matchAll(/(?:^|, )(?:lower\(rtrim\((.+?), ' '\)\)|("(?:[^"]|"")+"|[^\s,:"]+)): /g),
  ];
  return starts.map((start, index) => {
    const column = start[1] ?? start[2] ?? '';
    const from = (start.index ?? 0) + start[0].length;
    const to = starts[index + 1]?.index ?? text.length;
    return { column: unquoteColumn(column), value: text.slice(from, to) };
  });
}

function unquoteColumn(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

function lastName(qualified: string): string {
  const parts = qualified.split('.');
  return parts[parts.length - 1] ?? qualified;
}

/** Neither engine names the unique index in its message; the key columns are the next best name. */
function uniqueKeyName(columns: string): string {
  return columns
    .split(', ')
    .map((column) => lastName(column.trim()))
    .join('_');
}

/** What the failing statement was, to name the duplicate value (SQLite only names the columns). */
export interface StatementContext {
  readonly sql?: string;
  readonly params?: readonly unknown[];
  /** For bulk inserts: the inserted column names and the failing row. */
  readonly columns?: readonly string[];
  readonly row?: readonly unknown[];
}

const INSERT_PATTERN =
  /^\s*(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+\S+\s*\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)/i;

function duplicateEntry(
  keyColumns: readonly string[],
  statement: StatementContext | undefined,
): string {
  let columns = statement?.columns;
  let row = statement?.row;
  if (row === undefined && statement?.sql !== undefined) {
    const match = INSERT_PATTERN.exec(statement.sql);
    const placeholders = match?.[2]?.split(',').map((item) => item.trim());
    if (match !== null && placeholders?.every((item) => item === '?') === true) {
      columns = (match[1] ?? '').split(',').map((item) => item.trim().replace(/^["`]|["`]$/g, ''));
      row = statement.params;
    }
  }
  if (columns === undefined || row === undefined) return '';
  const values = keyColumns.map((column) => {
    const index = columns.findIndex((name) => name.toLowerCase() === column.toLowerCase());
    return index < 0 ? '' : displayValue(row[index]);
  });
  return values.join('-');
}

function displayValue(value: unknown): string {
  if (value === undefined || value === null) return 'NULL';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  return '';
}
