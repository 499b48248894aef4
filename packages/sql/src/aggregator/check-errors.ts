/**
 * MariaDB's answer to a row that breaks a CHECK constraint: 4025 "CONSTRAINT `<name>` failed for
 * `<db>`.`<table>`", where a column-level check shows as `<table>.<column>`. The engines' errors
 * name the constraint only (`storage/engine-errors.ts`); the tables of the statement complete
 * them: the one that has a check of that name, else the first (a check ALTER TABLE is adding is
 * not in the catalog yet).
 */
import type { CheckConstraint, TableDef } from '../catalog/types.js';
import { SqlError, sqlError } from '../errors.js';
import type { Statement } from '../parser/ast.js';
import { collectTables } from '../parser/walk.js';
import type { StatementContext } from './context.js';
import { shownName } from './temporary-tables.js';

const CHECK_VIOLATED = 4025;
const ENGINE_MESSAGE = /^CONSTRAINT `(.*)` failed$/s;

/** The error with its table named, or the error itself; `tables` are read only for 4025. */
export function withCheckTable(error: unknown, tables: () => readonly TableDef[]): unknown {
  if (!(error instanceof SqlError) || error.errno !== CHECK_VIOLATED) return error;
  const name = ENGINE_MESSAGE.exec(error.message)?.[1];
  if (name === undefined) return error;
  const lower = name.toLowerCase();
  const candidates = tables();
  for (const table of candidates) {
    const check = table.checks?.find((candidate) => candidate.name.toLowerCase() === lower);
    if (check !== undefined) return checkFailure(table, check, error);
  }
  const first = candidates[0];
  return first === undefined ? error : failed(name, first, error);
}

/** The tables a statement names, as the catalog has them. */
export function statementTables(context: StatementContext, statement: Statement): TableDef[] {
  const { catalog } = context.services;
  return collectTables(statement).flatMap((name) => {
    const database = name.database ?? context.session.database;
    const table = database === undefined ? undefined : catalog.table(database, name.name);
    return table === undefined ? [] : [table];
  });
}

/** The 4025 of a row that breaks `check` of `table`. */
export function checkFailure(table: TableDef, check: CheckConstraint, cause?: SqlError): SqlError {
  const shown = check.column === undefined ? check.name : `${shownName(table)}.${check.column}`;
  return failed(shown, table, cause);
}

function failed(shown: string, table: TableDef, cause?: SqlError): SqlError {
  return sqlError(
    'CHECK_VIOLATED',
    `CONSTRAINT \`${shown}\` failed for \`${table.database}\`.\`${shownName(table)}\``,
    cause,
  );
}
