/**
 * Prints any statement as canonical MySQL text: parsing the result gives the same tree
 * (positions aside). DDL is printed by format-ddl.ts, accounts and SHOW by format-admin.ts.
 */
import type { Assignment, InsertStatement, LoadDataStatement, Statement } from './ast.js';
import type { SqlValue } from '../values.js';
import { formatAdmin } from './format-admin.js';
import { formatCreateView } from './format-view.js';
import { formatAlterTable, formatColumnDef, formatCreateTable } from './format-ddl.js';
import {
  formatExpr,
  formatName,
  formatOrderList,
  quoteIdentifier,
  quoteString,
} from './format-expr.js';
import {
  formatLimit,
  formatQuery,
  formatSelectItems,
  formatTableName,
  formatTableRef,
} from './format-query.js';

export function formatAssignments(assignments: readonly Assignment[]): string {
  return assignments
    .map((assignment) => `${formatExpr(assignment.column)} = ${formatExpr(assignment.value)}`)
    .join(', ');
}

export function formatStatement(stmt: Statement): string {
  switch (stmt.kind) {
    case 'select':
    case 'setOperation':
    case 'with':
      return formatQuery(stmt);
    case 'insert':
      return formatInsert(stmt);
    case 'update': {
      let text = `UPDATE ${stmt.lowPriority === true ? 'LOW_PRIORITY ' : ''}${stmt.ignore ? 'IGNORE ' : ''}`;
      text += `${stmt.tables.map(formatTableRef).join(', ')} SET ${formatAssignments(stmt.set)}`;
      if (stmt.where !== undefined) text += ` WHERE ${formatExpr(stmt.where)}`;
      if (stmt.orderBy.length > 0) text += ` ORDER BY ${formatOrderList(stmt.orderBy)}`;
      if (stmt.limit !== undefined) text += ` ${formatLimit(stmt.limit)}`;
      return text;
    }
    case 'delete': {
      let text = 'DELETE ';
      if (stmt.lowPriority === true) text += 'LOW_PRIORITY ';
      if (stmt.quick === true) text += 'QUICK ';
      if (stmt.ignore) text += 'IGNORE ';
      const from = stmt.from.map(formatTableRef).join(', ');
      if (stmt.targets === undefined) text += `FROM ${from}`;
      else if (stmt.using === true)
        text += `FROM ${stmt.targets.map(formatTableName).join(', ')} USING ${from}`;
      else text += `${stmt.targets.map(formatTableName).join(', ')} FROM ${from}`;
      if (stmt.where !== undefined) text += ` WHERE ${formatExpr(stmt.where)}`;
      if (stmt.orderBy.length > 0) text += ` ORDER BY ${formatOrderList(stmt.orderBy)}`;
      if (stmt.limit !== undefined) text += ` ${formatLimit(stmt.limit)}`;
      if (stmt.returning !== undefined) text += ` RETURNING ${formatSelectItems(stmt.returning)}`;
      return text;
    }
    case 'loadData':
      return formatLoadData(stmt);
    case 'createDatabase': {
      let text = `CREATE DATABASE ${stmt.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(stmt.name)}`;
      if (stmt.partitions !== undefined) text += ` PARTITIONS ${stmt.partitions}`;
      if (stmt.charset !== undefined) text += ` DEFAULT CHARACTER SET ${formatName(stmt.charset)}`;
      if (stmt.collation !== undefined) text += ` DEFAULT COLLATE ${formatName(stmt.collation)}`;
      return text;
    }
    case 'dropDatabase':
      return `DROP DATABASE ${stmt.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(stmt.name)}`;
    case 'createTable':
      return formatCreateTable(stmt, formatQuery);
    case 'dropTable':
      return `DROP ${stmt.temporary ? 'TEMPORARY ' : ''}TABLE ${stmt.ifExists ? 'IF EXISTS ' : ''}${stmt.tables.map(formatTableName).join(', ')}`;
    case 'truncateTable':
      return `TRUNCATE TABLE ${formatTableName(stmt.table)}`;
    case 'alterTable':
      return formatAlterTable(stmt);
    case 'createIndex': {
      const kind = stmt.unique ? 'UNIQUE ' : stmt.fulltext === true ? 'FULLTEXT ' : '';
      const columns = stmt.columns.map((column) => {
        let text = quoteIdentifier(column.name);
        if (column.length !== undefined) text += `(${column.length})`;
        return column.desc === true ? `${text} DESC` : text;
      });
      const using = stmt.using === undefined ? '' : ` USING ${stmt.using}`;
      return `CREATE ${kind}INDEX ${quoteIdentifier(stmt.name)} ON ${formatTableName(stmt.table)} (${columns.join(', ')})${using}`;
    }
    case 'dropIndex':
      return `DROP INDEX ${stmt.name === 'PRIMARY' ? 'PRIMARY' : quoteIdentifier(stmt.name)} ON ${formatTableName(stmt.table)}`;
    case 'renameTable':
      return `RENAME TABLE ${stmt.renames.map((rename) => `${formatTableName(rename.from)} TO ${formatTableName(rename.to)}`).join(', ')}`;
    case 'createView':
      return formatCreateView(stmt);
    case 'dropView':
      return `DROP VIEW ${stmt.ifExists ? 'IF EXISTS ' : ''}${stmt.views.map(formatTableName).join(', ')}`;
    case 'explain': {
      let text = 'EXPLAIN ';
      if (stmt.analyze === true) text += 'ANALYZE ';
      if (stmt.extended === true) text += 'EXTENDED ';
      if (stmt.format !== undefined) text += `FORMAT = ${formatName(stmt.format)} `;
      return text + formatStatement(stmt.statement);
    }
    case 'use':
    case 'set':
    case 'setNames':
    case 'setCharset':
    case 'setTransaction':
    case 'setPassword':
    case 'begin':
    case 'commit':
    case 'rollback':
    case 'savepoint':
    case 'releaseSavepoint':
    case 'show':
    case 'describe':
    case 'kill':
    case 'createUser':
    case 'dropUser':
    case 'alterUser':
    case 'grant':
    case 'revoke':
    case 'addLeaf':
    case 'removeLeaf':
    case 'rebalancePartitions':
    case 'flush':
    case 'do':
    case 'prepare':
    case 'execute':
    case 'deallocatePrepare':
    case 'lockTables':
    case 'unlockTables':
    case 'analyzeTable':
    case 'optimizeTable':
    case 'checkTable':
    case 'repairTable':
      return formatAdmin(stmt);
  }
}

function formatInsert(stmt: InsertStatement): string {
  let text = stmt.replace ? 'REPLACE ' : 'INSERT ';
  if (stmt.priority !== undefined) text += `${stmt.priority} `;
  if (stmt.ignore) text += 'IGNORE ';
  text += `INTO ${formatTableName(stmt.table)}`;
  if (stmt.columns !== undefined) text += ` (${stmt.columns.map(quoteIdentifier).join(', ')})`;
  const source = stmt.source;
  if (source.kind === 'values') {
    text += ` VALUES ${source.rows.map((row) => `(${row.map(formatExpr).join(', ')})`).join(', ')}`;
  } else if (source.kind === 'rows') {
    text += ` VALUES ${source.rows.map((row) => `(${row.map(formatRowValue).join(', ')})`).join(', ')}`;
  } else if (source.kind === 'set') {
    text += ` SET ${formatAssignments(source.assignments)}`;
  } else {
    text += ` ${formatQuery(source.query)}`;
  }
  if (stmt.rowAlias !== undefined) text += ` AS ${quoteIdentifier(stmt.rowAlias)}`;
  if (stmt.rowAliasColumns !== undefined)
    text += ` (${stmt.rowAliasColumns.map(quoteIdentifier).join(', ')})`;
  if (stmt.onDuplicateKeyUpdate !== undefined) {
    text += ` ON DUPLICATE KEY UPDATE ${formatAssignments(stmt.onDuplicateKeyUpdate)}`;
  }
  if (stmt.returning !== undefined) text += ` RETURNING ${formatSelectItems(stmt.returning)}`;
  return text;
}

/** A value of a literal VALUES row, as the literal that reads back to it. */
function formatRowValue(value: SqlValue | undefined): string {
  if (value === undefined) return 'DEFAULT';
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
  return Object.is(value, -0) ? '-0' : String(value);
}

function formatLoadData(stmt: LoadDataStatement): string {
  let text = `LOAD DATA ${stmt.local ? 'LOCAL ' : ''}INFILE ${quoteString(stmt.file)}`;
  if (stmt.duplicates !== undefined) text += ` ${stmt.duplicates.toUpperCase()}`;
  text += ` INTO TABLE ${formatTableName(stmt.table)}`;
  if (stmt.charset !== undefined) text += ` CHARACTER SET ${formatName(stmt.charset)}`;
  if (stmt.fields !== undefined) {
    text += ' FIELDS';
    const fields = stmt.fields;
    if (fields.terminatedBy !== undefined)
      text += ` TERMINATED BY ${quoteString(fields.terminatedBy)}`;
    if (fields.enclosedBy !== undefined) {
      text += `${fields.optionallyEnclosed === true ? ' OPTIONALLY' : ''} ENCLOSED BY ${quoteString(fields.enclosedBy)}`;
    }
    if (fields.escapedBy !== undefined) text += ` ESCAPED BY ${quoteString(fields.escapedBy)}`;
  }
  if (stmt.lines !== undefined) {
    text += ' LINES';
    if (stmt.lines.startingBy !== undefined)
      text += ` STARTING BY ${quoteString(stmt.lines.startingBy)}`;
    if (stmt.lines.terminatedBy !== undefined)
      text += ` TERMINATED BY ${quoteString(stmt.lines.terminatedBy)}`;
  }
  if (stmt.ignoreLines !== undefined) text += ` IGNORE ${stmt.ignoreLines} LINES`;
  if (stmt.columns !== undefined) text += ` (${stmt.columns.map(formatExpr).join(', ')})`;
  if (stmt.set.length > 0) text += ` SET ${formatAssignments(stmt.set)}`;
  return text;
}

export { formatColumnDef };
