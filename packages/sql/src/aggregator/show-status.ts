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

/** The status counters this server keeps, by name (SHOW STATUS, information_schema). */
export function statusValues(context: StatementContext): [string, SqlValue][] {
  const uptime = Math.floor((context.nowMs - context.services.startedAtMs) / 1000);
  return [
    ['Threads_connected', context.services.sessions.size],
    ['Uptime', uptime],
    ['Aborted_connects', 0],
    // Point reads answered from the partition files of leaves on this host (local-reads.ts).
    ['Exo_local_reads', context.services.localReads?.count ?? 0],
    // Autocommit writes committed to those files (local-writes.ts).
    ['Exo_local_writes', context.services.localWrites?.count ?? 0],
    ['Exo_local_write_groups', context.services.localWrites?.groups ?? 0],
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
    statusValues(context)
      .filter(([name]) => like(name))
      .map(([name, value]) => [name, String(value)]),
  );
}
