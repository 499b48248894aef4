/** Prints session, transaction, SHOW, account and cluster statements. */
import type {
  GrantTarget,
  Privilege,
  ShowStatement,
  Statement,
  UserAuth,
  UserSpec,
} from './ast.js';
import {
  formatExpr,
  formatName,
  formatVariable,
  quoteIdentifier,
  quoteString,
} from './format-expr.js';
import { formatLimit, formatTableName } from './format-query.js';

type AdminStatement = Exclude<
  Statement,
  {
    kind:
      | 'select'
      | 'setOperation'
      | 'with'
      | 'insert'
      | 'update'
      | 'delete'
      | 'loadData'
      | 'createDatabase'
      | 'dropDatabase'
      | 'createTable'
      | 'dropTable'
      | 'truncateTable'
      | 'alterTable'
      | 'createIndex'
      | 'dropIndex'
      | 'renameTable'
      | 'createView'
      | 'dropView'
      | 'explain';
  }
>;

export function formatUser(user: UserSpec): string {
  if (user.current === true) return 'CURRENT_USER()';
  return `${quoteString(user.user)}@${quoteString(user.host)}`;
}

function formatUserAuth(auth: UserAuth): string {
  let text = formatUser(auth.user);
  if (auth.plugin !== undefined) {
    text += ` IDENTIFIED WITH ${quoteString(auth.plugin)}`;
    if (auth.password !== undefined) text += ` BY ${quoteString(auth.password)}`;
  } else if (auth.password !== undefined) {
    text += ` IDENTIFIED BY ${quoteString(auth.password)}`;
  }
  return text;
}

function formatPrivileges(privileges: readonly Privilege[]): string {
  return privileges
    .map((privilege) =>
      privilege.columns === undefined
        ? privilege.name
        : `${privilege.name} (${privilege.columns.map(quoteIdentifier).join(', ')})`,
    )
    .join(', ');
}

function formatGrantTarget(target: GrantTarget): string {
  const part = (name: string): string => (name === '*' ? '*' : quoteIdentifier(name));
  return target.database === undefined
    ? part(target.table)
    : `${part(target.database)}.${part(target.table)}`;
}

function formatPort(port: number | undefined): string {
  return port === undefined ? '' : `:${port}`;
}

export function formatAdmin(stmt: AdminStatement): string {
  switch (stmt.kind) {
    case 'use':
      return `USE ${quoteIdentifier(stmt.database)}`;
    case 'set':
      return `SET ${stmt.assignments
        .map(
          ({ target, value }) =>
            `${formatVariable(target.name, target.system, target.scope)} = ${formatExpr(value)}`,
        )
        .join(', ')}`;
    case 'setNames':
      return `SET NAMES ${stmt.charset === 'DEFAULT' ? 'DEFAULT' : formatName(stmt.charset)}${stmt.collation === undefined ? '' : ` COLLATE ${formatName(stmt.collation)}`}`;
    case 'setCharset':
      return `SET CHARACTER SET ${stmt.charset === 'DEFAULT' ? 'DEFAULT' : formatName(stmt.charset)}`;
    case 'setTransaction': {
      const parts: string[] = [];
      if (stmt.isolationLevel !== undefined) parts.push(`ISOLATION LEVEL ${stmt.isolationLevel}`);
      if (stmt.accessMode !== undefined) parts.push(stmt.accessMode);
      return `SET ${stmt.scope === undefined ? '' : `${stmt.scope.toUpperCase()} `}TRANSACTION ${parts.join(', ')}`;
    }
    case 'setPassword':
      return `SET PASSWORD ${stmt.user === undefined ? '' : `FOR ${formatUser(stmt.user)} `}= ${quoteString(stmt.password)}`;
    case 'begin': {
      const options: string[] = [];
      if (stmt.accessMode !== undefined) options.push(stmt.accessMode);
      if (stmt.consistentSnapshot === true) options.push('WITH CONSISTENT SNAPSHOT');
      return options.length === 0 ? 'BEGIN' : `START TRANSACTION ${options.join(', ')}`;
    }
    case 'commit':
    case 'rollback': {
      let text = stmt.kind === 'commit' ? 'COMMIT' : 'ROLLBACK';
      if (stmt.kind === 'rollback' && stmt.savepoint !== undefined)
        return `${text} TO SAVEPOINT ${quoteIdentifier(stmt.savepoint)}`;
      if (stmt.chain !== undefined) text += stmt.chain ? ' AND CHAIN' : ' AND NO CHAIN';
      if (stmt.release !== undefined) text += stmt.release ? ' RELEASE' : ' NO RELEASE';
      return text;
    }
    case 'savepoint':
      return `SAVEPOINT ${quoteIdentifier(stmt.name)}`;
    case 'releaseSavepoint':
      return `RELEASE SAVEPOINT ${quoteIdentifier(stmt.name)}`;
    case 'show':
      return formatShow(stmt);
    case 'describe':
      return `DESCRIBE ${formatTableName(stmt.table)}${stmt.column === undefined ? '' : ` ${quoteString(stmt.column)}`}`;
    case 'kill':
      return `KILL ${stmt.target === 'query' ? 'QUERY' : 'CONNECTION'} ${formatExpr(stmt.id)}`;
    case 'createUser':
      return `CREATE USER ${stmt.ifNotExists ? 'IF NOT EXISTS ' : ''}${stmt.users.map(formatUserAuth).join(', ')}`;
    case 'alterUser':
      return `ALTER USER ${stmt.ifExists ? 'IF EXISTS ' : ''}${stmt.users.map(formatUserAuth).join(', ')}`;
    case 'dropUser':
      return `DROP USER ${stmt.ifExists ? 'IF EXISTS ' : ''}${stmt.users.map(formatUser).join(', ')}`;
    case 'grant':
      return `GRANT ${formatPrivileges(stmt.privileges)} ON ${formatGrantTarget(stmt.on)} TO ${stmt.to.map(formatUserAuth).join(', ')}${stmt.withGrantOption ? ' WITH GRANT OPTION' : ''}`;
    case 'revoke':
      return `REVOKE ${formatPrivileges(stmt.privileges)} ON ${formatGrantTarget(stmt.on)} FROM ${stmt.from.map(formatUser).join(', ')}`;
    case 'addLeaf': {
      const password = stmt.password === undefined ? '' : `:${quoteString(stmt.password)}`;
      return `ADD LEAF ${quoteIdentifier(stmt.user)}${password}@${quoteString(stmt.host)}${formatPort(stmt.port)}`;
    }
    case 'removeLeaf':
      return `REMOVE LEAF ${quoteString(stmt.host)}${formatPort(stmt.port)}${stmt.force === true ? ' FORCE' : ''}`;
    case 'rebalancePartitions':
      return stmt.database === undefined
        ? 'REBALANCE PARTITIONS'
        : `REBALANCE PARTITIONS ON ${quoteIdentifier(stmt.database)}`;
    case 'flush': {
      const options = stmt.options.map((option) =>
        option === 'TABLES' && stmt.tables !== undefined
          ? `TABLES ${stmt.tables.map(formatTableName).join(', ')}`
          : option,
      );
      let text = 'FLUSH';
      options.forEach((option, index) => {
        const suffix = option === 'WITH READ LOCK' || option === 'FOR EXPORT';
        text += index === 0 || suffix ? ` ${option}` : `, ${option}`;
      });
      return text;
    }
    case 'do':
      return `DO ${stmt.exprs.map(formatExpr).join(', ')}`;
    case 'prepare':
      return `PREPARE ${quoteIdentifier(stmt.name)} FROM ${formatExpr(stmt.source)}`;
    case 'execute':
      return `EXECUTE ${quoteIdentifier(stmt.name)}${stmt.using.length > 0 ? ` USING ${stmt.using.map(formatExpr).join(', ')}` : ''}`;
    case 'deallocatePrepare':
      return `DEALLOCATE PREPARE ${quoteIdentifier(stmt.name)}`;
    case 'lockTables':
      return `LOCK TABLES ${stmt.tables
        .map(
          (entry) =>
            `${formatTableName(entry.table)}${entry.alias === undefined ? '' : ` AS ${quoteIdentifier(entry.alias)}`} ${entry.lock}`,
        )
        .join(', ')}`;
    case 'unlockTables':
      return 'UNLOCK TABLES';
    case 'analyzeTable':
    case 'optimizeTable':
    case 'checkTable':
    case 'repairTable':
      return `${stmt.kind.slice(0, -'Table'.length).toUpperCase()} TABLE ${stmt.tables.map(formatTableName).join(', ')}`;
  }
}

const SHOW_WORDS: Readonly<Record<ShowStatement['what'], string>> = {
  databases: 'DATABASES',
  tables: 'TABLES',
  columns: 'COLUMNS',
  createTable: 'CREATE TABLE',
  createDatabase: 'CREATE DATABASE',
  createView: 'CREATE VIEW',
  createUser: 'CREATE USER',
  index: 'INDEX',
  partitions: 'PARTITIONS',
  processlist: 'PROCESSLIST',
  variables: 'VARIABLES',
  status: 'STATUS',
  warnings: 'WARNINGS',
  errors: 'ERRORS',
  collation: 'COLLATION',
  charset: 'CHARACTER SET',
  engines: 'ENGINES',
  grants: 'GRANTS',
  leaves: 'LEAVES',
  aggregators: 'AGGREGATORS',
  tableStatus: 'TABLE STATUS',
  plugins: 'PLUGINS',
  masterStatus: 'MASTER STATUS',
  slaveStatus: 'SLAVE STATUS',
  binaryLogs: 'BINARY LOGS',
  triggers: 'TRIGGERS',
  procedureStatus: 'PROCEDURE STATUS',
  functionStatus: 'FUNCTION STATUS',
  events: 'EVENTS',
  pipelines: 'PIPELINES',
  privileges: 'PRIVILEGES',
  openTables: 'OPEN TABLES',
};

function formatShow(stmt: ShowStatement): string {
  const parts = ['SHOW'];
  if (stmt.count === true) parts.push('COUNT(*)');
  if (stmt.full === true) parts.push('FULL');
  if (stmt.scope !== undefined) parts.push(stmt.scope.toUpperCase());
  parts.push(SHOW_WORDS[stmt.what]);
  if (stmt.ifNotExists === true) parts.push('IF NOT EXISTS');
  if (stmt.what === 'createDatabase' && stmt.database !== undefined)
    parts.push(quoteIdentifier(stmt.database));
  else if (stmt.what.startsWith('create') && stmt.table !== undefined)
    parts.push(formatTableName(stmt.table));
  else if (stmt.table !== undefined) parts.push(`FROM ${formatTableName(stmt.table)}`);
  else if (stmt.what === 'partitions' && stmt.database !== undefined)
    parts.push(`ON ${quoteIdentifier(stmt.database)}`);
  else if (stmt.database !== undefined) parts.push(`FROM ${quoteIdentifier(stmt.database)}`);
  if (stmt.user !== undefined)
    parts.push(stmt.what === 'grants' ? `FOR ${formatUser(stmt.user)}` : formatUser(stmt.user));
  if (stmt.like !== undefined) parts.push(`LIKE ${quoteString(stmt.like)}`);
  if (stmt.where !== undefined) parts.push(`WHERE ${formatExpr(stmt.where)}`);
  if (stmt.limit !== undefined) parts.push(formatLimit(stmt.limit));
  return parts.join(' ');
}
