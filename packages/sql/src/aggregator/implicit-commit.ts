/**
 * Statements that commit the open transaction before they run, as MariaDB's do (its manual,
 * "SQL statements that cause an implicit commit"): DDL, account and privilege changes, table
 * maintenance, LOCK TABLES and FLUSH, and the cluster's own ADD/REMOVE LEAF and REBALANCE.
 * CREATE TEMPORARY TABLE and DROP TEMPORARY TABLE do not (docs/sql-temporary-tables.md); DROP
 * TABLE does, even of a temporary table, and so do ALTER, TRUNCATE and the index statements on
 * one. Besides following MariaDB, this keeps a statement's engine DDL from waiting for write
 * locks its own session's transaction holds.
 */
import type { Statement } from '../parser/ast.js';

const COMMITTING: ReadonlySet<string> = new Set([
  'alterTable',
  'createIndex',
  'dropIndex',
  'truncateTable',
  'renameTable',
  'createDatabase',
  'dropDatabase',
  'createView',
  'dropView',
  'createUser',
  'dropUser',
  'alterUser',
  'grant',
  'revoke',
  'setPassword',
  'lockTables',
  'flush',
  'analyzeTable',
  'optimizeTable',
  'checkTable',
  'repairTable',
  'addLeaf',
  'removeLeaf',
  'rebalancePartitions',
]);

/** `autocommitOff`: the session's autocommit is 0 (SET autocommit = 1 then commits). */
export function commitsImplicitly(statement: Statement, autocommitOff = false): boolean {
  if (statement.kind === 'createTable' || statement.kind === 'dropTable')
    return statement.temporary !== true;
  if (statement.kind === 'set') return autocommitOff && turnsAutocommitOn(statement);
  return COMMITTING.has(statement.kind);
}

/** SET autocommit = 1 (or ON/TRUE), which MariaDB commits before when autocommit was 0. */
function turnsAutocommitOn(statement: Extract<Statement, { kind: 'set' }>): boolean {
  return statement.assignments.some((assignment) => {
    if (!assignment.target.system || assignment.target.name.toLowerCase() !== 'autocommit')
      return false;
    const { value } = assignment;
    if (value.kind === 'literal')
      return value.value === 1 || value.value === 1n || value.value === true;
    // A bare word (ON) is parsed as a column name.
    return value.kind === 'column' && /^(on|true)$/i.test(value.column);
  });
}
