/**
 * The accounts as MariaDB's privilege tables show them: information_schema.USER_PRIVILEGES
 * (global privileges, USAGE when none), SCHEMA_PRIVILEGES (database-level grants), the table-
 * and column-level ones (empty: grants here are global or per database) and `mysql.user`, one
 * row an account with a Y/N column per global privilege. ALL PRIVILEGES is spelled out in
 * MariaDB's order. Without an account of its own, root shows as 'root'@'localhost' with every
 * privilege, as single-node root connects.
 */
import type { AccountDef, GrantDef } from '../catalog/types.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { parseColumn } from './information-schema-specs.js';

/** MariaDB 10.11's global privileges, in the order it lists them. */
// prettier-ignore
const GLOBAL = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'RELOAD', 'SHUTDOWN', 'PROCESS', 'FILE',
  'REFERENCES', 'INDEX', 'ALTER', 'SHOW DATABASES', 'SUPER', 'CREATE TEMPORARY TABLES',
  'LOCK TABLES', 'EXECUTE', 'REPLICATION SLAVE', 'BINLOG MONITOR', 'CREATE VIEW', 'SHOW VIEW',
  'CREATE ROUTINE', 'ALTER ROUTINE', 'CREATE USER', 'EVENT', 'TRIGGER', 'CREATE TABLESPACE',
  'DELETE HISTORY', 'SET USER', 'FEDERATED ADMIN', 'CONNECTION ADMIN', 'READ_ONLY ADMIN',
  'REPLICATION SLAVE ADMIN', 'REPLICATION MASTER ADMIN', 'BINLOG ADMIN', 'BINLOG REPLAY',
  'SLAVE MONITOR',
];

/** The privileges a database-level grant can hold, in MariaDB's order. */
// prettier-ignore
const DATABASE = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER',
  'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'EXECUTE', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE',
  'ALTER ROUTINE', 'EVENT', 'TRIGGER', 'DELETE HISTORY',
];

const ROOT: AccountDef = {
  user: 'root',
  host: 'localhost',
  nativeHash: '',
  sha2Hash: '',
  grants: [{ database: '*', privileges: ['ALL PRIVILEGES'], withGrantOption: true }],
};

function accounts(context: StatementContext): readonly AccountDef[] {
  const defined = context.services.catalog.accounts();
  return defined.some((account) => account.user === 'root') ? defined : [ROOT, ...defined];
}

const grantee = (account: AccountDef): string => `'${account.user}'@'${account.host}'`;

/** A grant's privileges in MariaDB's order, ALL PRIVILEGES spelled out from `order`. */
function spelled(grant: GrantDef, order: readonly string[]): string[] {
  if (grant.privileges.includes('ALL PRIVILEGES')) return [...order];
  const rank = (name: string): number => {
    const index = order.indexOf(name);
    return index < 0 ? order.length : index;
  };
  return [...grant.privileges].sort((a, b) => rank(a) - rank(b));
}

/** A grant's privileges as SHOW GRANTS lists them: in MariaDB's order, ALL PRIVILEGES kept. */
export function listedPrivileges(grant: GrantDef): string[] {
  if (grant.privileges.includes('ALL PRIVILEGES')) return ['ALL PRIVILEGES'];
  return spelled(grant, grant.database === '*' ? GLOBAL : DATABASE);
}

export const globalGrant = (account: AccountDef): GrantDef | undefined =>
  account.grants.find((grant) => grant.database === '*');

export function userPrivilegeRows(context: StatementContext): SqlValue[][] {
  return accounts(context).flatMap((account) => {
    const grant = globalGrant(account);
    const names = grant === undefined ? [] : spelled(grant, GLOBAL);
    if (names.length === 0) return [[grantee(account), 'def', 'USAGE', 'NO']];
    const grantable = grant?.withGrantOption === true ? 'YES' : 'NO';
    return names.map((name) => [grantee(account), 'def', name, grantable]);
  });
}

export function schemaPrivilegeRows(context: StatementContext): SqlValue[][] {
  return accounts(context).flatMap((account) =>
    account.grants
      .filter((grant) => grant.database !== '*')
      .flatMap((grant) =>
        spelled(grant, DATABASE).map((name) => [
          grantee(account),
          'def',
          grant.database,
          name,
          grant.withGrantOption ? 'YES' : 'NO',
        ]),
      ),
  );
}

/** mysql.user's Y/N columns, each with the global privilege it shows. */
// prettier-ignore
const FLAGS: readonly (readonly [string, string])[] = [
  ['Select_priv', 'SELECT'], ['Insert_priv', 'INSERT'], ['Update_priv', 'UPDATE'],
  ['Delete_priv', 'DELETE'], ['Create_priv', 'CREATE'], ['Drop_priv', 'DROP'],
  ['Reload_priv', 'RELOAD'], ['Shutdown_priv', 'SHUTDOWN'], ['Process_priv', 'PROCESS'],
  ['File_priv', 'FILE'], ['Grant_priv', 'GRANT OPTION'], ['References_priv', 'REFERENCES'],
  ['Index_priv', 'INDEX'], ['Alter_priv', 'ALTER'], ['Show_db_priv', 'SHOW DATABASES'],
  ['Super_priv', 'SUPER'], ['Create_tmp_table_priv', 'CREATE TEMPORARY TABLES'],
  ['Lock_tables_priv', 'LOCK TABLES'], ['Execute_priv', 'EXECUTE'],
  ['Repl_slave_priv', 'REPLICATION SLAVE'], ['Repl_client_priv', 'BINLOG MONITOR'],
  ['Create_view_priv', 'CREATE VIEW'], ['Show_view_priv', 'SHOW VIEW'],
  ['Create_routine_priv', 'CREATE ROUTINE'], ['Alter_routine_priv', 'ALTER ROUTINE'],
  ['Create_user_priv', 'CREATE USER'], ['Event_priv', 'EVENT'], ['Trigger_priv', 'TRIGGER'],
  ['Create_tablespace_priv', 'CREATE TABLESPACE'], ['Delete_history_priv', 'DELETE HISTORY'],
];

/** mysql.user's columns, declared as MariaDB 10.11 declares them. */
export const MYSQL_USER_COLUMNS: readonly ColumnMeta[] = [
  'Host varchar(255) NOT NULL',
  'User varchar(128) NOT NULL',
  'Password longtext',
  ...FLAGS.map(([name]) => `${name} varchar(1)`),
  'ssl_type varchar(9)',
  'ssl_cipher longtext NOT NULL',
  'x509_issuer longtext NOT NULL',
  'x509_subject longtext NOT NULL',
  'max_questions bigint(20) unsigned NOT NULL',
  'max_updates bigint(20) unsigned NOT NULL',
  'max_connections bigint(20) unsigned NOT NULL',
  'max_user_connections bigint(21) NOT NULL',
  'plugin longtext NOT NULL',
  'authentication_string longtext NOT NULL',
  'password_expired varchar(1) NOT NULL',
  'is_role varchar(1)',
  'default_role longtext NOT NULL',
  'max_statement_time decimal(12,6) NOT NULL',
].map((declaration) => parseColumn('user', declaration, 'mysql'));

export function mysqlUserRows(context: StatementContext): SqlValue[][] {
  return accounts(context).map((account) => {
    const grant = globalGrant(account);
    const held = new Set(grant === undefined ? [] : spelled(grant, GLOBAL));
    if (grant?.withGrantOption === true) held.add('GRANT OPTION');
    const password = account.nativeHash === '' ? '' : `*${account.nativeHash.toUpperCase()}`;
    return [
      account.host,
      account.user,
      password,
      ...FLAGS.map(([, privilege]) => (held.has(privilege) ? 'Y' : 'N')),
      '',
      '',
      '',
      '',
      0,
      0,
      0,
      0,
      'mysql_native_password',
      password,
      'N',
      'N',
      '',
      '0.000000',
    ];
  });
}
