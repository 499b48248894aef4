/**
 * READ ONLY transactions as MariaDB keeps them: inside `START TRANSACTION READ ONLY`, or while
 * the session's `tx_read_only` is 1, a statement that writes a table is refused with 1792 and
 * changes nothing; the session's temporary tables may still be written (not created or
 * dropped).
 */
import type { Statement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { collectTableUses } from '../planner/tables.js';
import type { SessionState } from './context.js';
import { isReservedName } from './temporary-tables.js';

/** Throws 1792 when `statement` (names resolved to temporary tables) writes in a read-only transaction. */
export function refuseReadOnlyWrite(session: SessionState, statement: Statement): void {
  const readOnly =
    (session.transaction !== undefined &&
      session.begun?.transaction === session.transaction &&
      session.begun.readOnly) ||
    Number(session.variables.get('tx_read_only') ?? 0) === 1;
  if (!readOnly) return;
  // MariaDB refuses making and dropping temporary tables there, though not writing them.
  const temporaryDdl =
    (statement.kind === 'createTable' || statement.kind === 'dropTable') &&
    statement.temporary === true;
  const written = temporaryDdl
    ? ['']
    : statement.kind === 'insert' || statement.kind === 'loadData'
      ? [statement.table.name]
      : statement.kind === 'update' || statement.kind === 'delete'
        ? collectTableUses(statement).map((use) => use.ref.name)
        : [];
  if (written.every(isReservedName)) return;
  throw sqlError('READ_ONLY_TRANSACTION', 'Cannot execute statement in a READ ONLY transaction');
}
