/**
 * The statement counters of SHOW STATUS, kept as MariaDB keeps them: Questions (the statements
 * clients sent: each statement of a text and each prepared execution) and Com_<command> by kind
 * of statement, for each session and for the server, plus the server's Connections and
 * Max_used_connections. Monitoring tools read them (`mariadb-admin status` and
 * `extended-status`, COM_STATISTICS).
 */
import type { Statement } from '../parser/ast.js';

/** Com_ counters by statement kind (the commands listed even at 0, as MariaDB lists them). */
const COMMANDS: Readonly<Record<string, string>> = {
  select: 'Com_select',
  setOperation: 'Com_select',
  with: 'Com_select',
  insert: 'Com_insert',
  update: 'Com_update',
  delete: 'Com_delete',
  loadData: 'Com_load',
  begin: 'Com_begin',
  commit: 'Com_commit',
  rollback: 'Com_rollback',
  set: 'Com_set_option',
  use: 'Com_change_db',
  createTable: 'Com_create_table',
  dropTable: 'Com_drop_table',
  alterTable: 'Com_alter_table',
  truncateTable: 'Com_truncate',
  createDatabase: 'Com_create_db',
  dropDatabase: 'Com_drop_db',
  createIndex: 'Com_create_index',
  dropIndex: 'Com_drop_index',
  kill: 'Com_kill',
  prepare: 'Com_prepare_sql',
  execute: 'Com_execute_sql',
  deallocatePrepare: 'Com_dealloc_sql',
};
/** The prepared-statement commands of the binary protocol (COM_STMT_*). */
export type StatementCommand =
  'Com_stmt_prepare' | 'Com_stmt_execute' | 'Com_stmt_close' | 'Com_stmt_reset';

const NAMES = [
  ...new Set([
    ...Object.values(COMMANDS),
    'Com_insert_select',
    'Com_replace',
    'Com_replace_select',
    'Com_stmt_close',
    'Com_stmt_execute',
    'Com_stmt_fetch',
    'Com_stmt_prepare',
    'Com_stmt_reprepare',
    'Com_stmt_reset',
    'Com_stmt_send_long_data',
  ]),
].sort();

export class StatusCounters {
  questions = 0;
  /** Connection attempts that reached a session (the server's counters only). */
  connections = 0;
  maxUsedConnections = 0;
  private readonly commands = new Map<string, number>();

  /** Counts one statement a client sent (EXECUTE's question is the statement it runs). */
  count(statement: Statement): void {
    if (statement.kind !== 'execute') this.questions += 1;
    const name = commandName(statement);
    if (name !== undefined) this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
  }

  /** Counts one prepared-statement command (its statement, when run, is counted by `count`). */
  countCommand(name: StatementCommand): void {
    this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
  }

  /** Every Com_ counter, by name. */
  commandValues(): [string, number][] {
    return NAMES.map((name) => [name, this.commands.get(name) ?? 0]);
  }
}

function commandName(statement: Statement): string | undefined {
  if (statement.kind === 'insert') {
    const query = statement.source.kind === 'query';
    if (statement.replace) return query ? 'Com_replace_select' : 'Com_replace';
    return query ? 'Com_insert_select' : 'Com_insert';
  }
  return COMMANDS[statement.kind];
}
