/**
 * CREATE TABLE with a zero-date DEFAULT ('0000-00-00', '0000-00-00 00:00:00') under a strict
 * sql_mode with NO_ZERO_DATE: MariaDB refuses the column (1067 'Invalid default value').
 * Without NO_ZERO_DATE, or without strict mode, the default stands (zero-date.ts).
 */
import type { TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { holdsZeroDates, isZeroDateValue, zeroDatesAllowed } from '../zero-date.js';
import { isStrictMode } from './compat-lenient-values.js';
import type { StatementContext } from './context.js';

export function checkZeroDateDefaults(context: StatementContext, table: TableDef): void {
  const session = context.session;
  if (zeroDatesAllowed(session.variables.get('sql_mode')) || !isStrictMode(session)) return;
  for (const column of table.columns) {
    const sql = column.defaultSql;
    if (sql === undefined || !holdsZeroDates(column.type)) continue;
    const text = /^'(.*)'$/s.exec(sql)?.[1] ?? sql;
    if (isZeroDateValue(text))
      throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column.name}'`);
  }
}
