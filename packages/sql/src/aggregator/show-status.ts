/**
 * SHOW [GLOBAL|SESSION] STATUS and VARIABLES, with the column definitions of MariaDB's
 * information_schema tables they are built on (SESSION_STATUS, GLOBAL_VARIABLES, …).
 */
import type { ShowStatement } from '../parser/ast.js';
import type { ResultRows } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { infoColumn } from './information-schema-specs.js';
import { rows } from './results.js';
import { shownValue } from './system-variables.js';

/**
 * The status counters this server keeps, by name (SHOW STATUS, information_schema): the
 * statement counters of the session, or of the server (`global`); the rest are the server's.
 */
export function statusValues(context: StatementContext, global = false): [string, SqlValue][] {
  const { services } = context;
  const uptime = Math.floor((context.nowMs - services.startedAtMs) / 1000);
  const counters = global ? services.status : context.session.status;
  const running = [...services.sessions.values()].filter(
    (session) => session.statement !== undefined,
  ).length;
  return [
    ['Aborted_connects', 0],
    ...counters.commandValues(),
    ['Connections', services.status.connections],
    ['Max_used_connections', services.status.maxUsedConnections],
    ['Queries', counters.questions],
    ['Questions', counters.questions],
    ['Slow_queries', 0],
    ['Threads_connected', services.sessions.size],
    ['Threads_running', Math.max(1, running)],
    ['Uptime', uptime],
    // Point reads answered from the partition files of leaves on this host (local-reads.ts).
    ['Exo_local_reads', context.services.localReads?.count ?? 0],
    // Autocommit writes committed to those files (local-writes.ts).
    ['Exo_local_writes', context.services.localWrites?.count ?? 0],
    ['Exo_local_write_groups', context.services.localWrites?.groups ?? 0],
    ['Exo_local_upserts', context.services.localWrites?.upserts ?? 0],
    // Per session, as MySQL shows them: empty on a plain connection.
    ['Ssl_version', context.session.tls?.version ?? ''],
    ['Ssl_cipher', context.session.tls?.cipher ?? ''],
  ];
}

/**
 * The two columns of SHOW VARIABLES / SHOW STATUS, from the information_schema table named
 * (MariaDB names SESSION_VARIABLES and SESSION_STATUS for the GLOBAL forms too).
 */
function nameValueColumns(table: string): ResultRows['columns'] {
  return [
    infoColumn(table, 'VARIABLE_NAME', 'Variable_name'),
    infoColumn(table, 'VARIABLE_VALUE', 'Value'),
  ];
}

export function showVariables(
  context: StatementContext,
  statement: ShowStatement,
  like: (name: string) => boolean,
): ResultRows {
  const global = statement.scope === 'global';
  const source = global ? context.services.variables : context.session.variables;
  const values = [...source.entries()]
    .filter(([name]) => like(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [name, shownValue(name, value)]);
  return rows(nameValueColumns('SESSION_VARIABLES'), values);
}

export function showStatus(
  context: StatementContext,
  statement: ShowStatement,
  like: (name: string) => boolean,
): ResultRows {
  return rows(
    nameValueColumns('SESSION_STATUS'),
    statusValues(context, statement.scope === 'global')
      .filter(([name]) => like(name))
      .map(([name, value]) => [name, String(value)]),
  );
}
