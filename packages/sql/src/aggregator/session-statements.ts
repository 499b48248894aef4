/**
 * Statements that change the session: USE, SET (system and user variables), SET NAMES,
 * SET TRANSACTION, BEGIN/COMMIT/ROLLBACK (ROLLBACK TO SAVEPOINT in `savepoints.ts`), and KILL.
 */
import type {
  BeginStatement,
  RollbackStatement,
  SetStatement,
  SetTransactionStatement,
  UseStatement,
} from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';
import { isVirtualDatabase } from './information-schema.js';
import { checkPrivilege, hasPrivilege } from './accounts.js';
import { ok } from './results.js';
import { normalizeSetValue, TIMEOUT_VARIABLES, timeoutValue } from './system-variables.js';
import type { SqlValue } from '../values.js';
import { rollbackToSavepoint } from './savepoints.js';

const READ_ONLY_VARIABLES = new Set([
  'require_secure_transport',
  'have_ssl',
  'have_openssl',
  'version',
  'version_comment',
  'hostname',
  'port',
  'datadir',
  'secure_file_priv',
  'protocol_version',
  'have_ssl',
  'license',
]);

export function useDatabase(context: StatementContext, statement: UseStatement): ResultOk {
  const name = statement.database;
  if (isVirtualDatabase(name)) {
    context.session.database = name.toLowerCase();
    return ok(0);
  }
  const database = context.services.catalog.requireDatabase(name);
  if (
    !hasPrivilege(context, database.name, 'SELECT') &&
    !hasPrivilege(context, database.name, 'INSERT')
  ) {
    checkPrivilege(context, database.name, 'SELECT');
  }
  context.session.database = database.name;
  return ok(0);
}

export async function setVariables(
  context: StatementContext,
  statement: SetStatement,
): Promise<ResultOk> {
  const values = await evaluateConstants(
    context,
    statement.assignments.map((assignment) =>
      // `SET autocommit = ON`: a bare word is parsed as a column name; MySQL reads it as a string.
      assignment.value.kind === 'column' && assignment.value.table === undefined
        ? { kind: 'literal', type: 'string', value: assignment.value.column }
        : assignment.value,
    ),
  );
  statement.assignments.forEach((assignment, index) => {
    const value = values[index] ?? null;
    const name = assignment.target.name.toLowerCase();
    if (!assignment.target.system) {
      context.session.userVariables.set(name, value);
      return;
    }
    if (
      (assignment.target.scope === 'global' || assignment.target.scope === 'persist') &&
      TIMEOUT_VARIABLES.has(name)
    ) {
      setGlobalTimeout(context, name, value);
      return;
    }
    // Read-only and unknown variables answer as in MariaDB whatever the scope.
    if (READ_ONLY_VARIABLES.has(name))
      throw sqlError('INCORRECT_GLOBAL_LOCAL_VAR', `Variable '${name}' is a read only variable`);
    if (!context.session.variables.has(name))
      throw sqlError('UNKNOWN_SYSTEM_VARIABLE', `Unknown system variable '${name}'`);
    if (assignment.target.scope === 'global' || assignment.target.scope === 'persist') {
      throw sqlError(
        'SPECIFIC_ACCESS_DENIED',
        `Variable '${name}' is a GLOBAL variable and cannot be set here; set it in the server configuration`,
      );
    }
    // `SET x = DEFAULT` restores the server's value of a session variable.
    const restored =
      assignment.value.kind === 'default'
        ? (context.services.variables.get(name) ?? null)
        : TIMEOUT_VARIABLES.has(name)
          ? timeoutValue(name, value)
          : normalizeSetValue(name, value);
    context.session.variables.set(name, restored);
    if (name === 'transaction_isolation' || name === 'tx_isolation') {
      context.session.variables.set('transaction_isolation', value);
      context.session.variables.set('tx_isolation', value);
    }
  });
  return ok(0);
}

/** SET GLOBAL of a timeout: new sessions start from it; it needs the global ALTER privilege. */
function setGlobalTimeout(context: StatementContext, name: string, value: SqlValue): void {
  if (!hasPrivilege(context, '*', 'ALTER')) {
    throw sqlError(
      'SPECIFIC_ACCESS_DENIED',
      'Access denied; you need (at least one of) the SUPER privilege(s) for this operation',
    );
  }
  context.services.globalVariables.set(name, timeoutValue(name, value));
}

export function setTransaction(
  context: StatementContext,
  statement: SetTransactionStatement,
): ResultOk {
  if (statement.isolationLevel !== undefined) {
    const value = statement.isolationLevel.replace(' ', '-');
    context.session.variables.set('transaction_isolation', value);
    context.session.variables.set('tx_isolation', value);
  }
  if (statement.accessMode !== undefined) {
    const readOnly = statement.accessMode === 'READ ONLY' ? 1 : 0;
    context.session.variables.set('transaction_read_only', readOnly);
    context.session.variables.set('tx_read_only', readOnly);
  }
  return ok(0);
}

export async function begin(
  context: StatementContext,
  statement: BeginStatement | undefined,
): Promise<ResultOk> {
  // MySQL commits an open transaction implicitly when a new one starts.
  await commit(context);
  const transaction = context.services.coordinator.begin();
  context.session.transaction = transaction;
  context.session.begun = { transaction, readOnly: statement?.accessMode === 'READ ONLY' };
  return ok(0);
}

export async function commit(context: StatementContext): Promise<ResultOk> {
  const transaction = context.session.transaction;
  context.session.transaction = undefined;
  if (transaction !== undefined) await context.services.coordinator.commit(transaction);
  return ok(0);
}

export async function rollback(
  context: StatementContext,
  statement?: RollbackStatement,
): Promise<ResultOk> {
  if (statement?.savepoint !== undefined) return rollbackToSavepoint(context, statement.savepoint);
  const transaction = context.session.transaction;
  context.session.transaction = undefined;
  if (transaction !== undefined) await context.services.coordinator.rollback(transaction);
  return ok(0);
}

export { kill } from './kill-statement.js';
