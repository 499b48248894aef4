/**
 * Accounts and database-level privileges: CREATE/DROP/ALTER USER, SET PASSWORD, GRANT, REVOKE,
 * and the checks statements pass. Passwords are stored only as the two hashes the
 * authentication plugins verify against (SHA1(SHA1(pw)) and SHA256(SHA256(pw))).
 * `root` without a password exists implicitly in single-node mode and only for loopback
 * clients; giving root a password (CREATE USER / ALTER USER root) replaces it.
 */
import type {
  AlterUserStatement,
  CreateUserStatement,
  DropUserStatement,
  GrantStatement,
  RevokeStatement,
  SetPasswordStatement,
  UserSpec,
} from '../parser/ast.js';
import { type SqlError, sqlError } from '../errors.js';
import { hashNativePassword, hashSha2Password } from '../protocol/index.js';
import type { AccountCredentials, ResultOk } from '../protocol/backend.js';
import type { AccountDef, DatabaseDef, GrantDef } from '../catalog/types.js';
import type { Catalog } from '../catalog/catalog.js';
import { isLoopbackAddress } from '@exosphere/common';
import type { StatementContext } from './context.js';
import { ok } from './results.js';

const EMPTY = new Uint8Array(0);

function hostMatches(pattern: string, address: string): boolean {
  if (pattern === '%') return true;
  const loopback = isLoopbackAddress(address);
  if (pattern === 'localhost' || pattern === '127.0.0.1' || pattern === '::1') return loopback;
  const normalized = address.replace(/^::ffff:/, '');
  if (pattern.includes('%'))
    return new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/%/g, '.*')}$`).test(normalized);
  return pattern === normalized;
}

export function findAccount(
  catalog: Catalog,
  user: string,
  address: string,
): AccountDef | undefined {
  // The most specific host wins, as in MySQL: exact hosts before patterns, '%' last.
  return catalog
    .accounts()
    .filter((account) => account.user === user && hostMatches(account.host, address))
    .sort((a, b) => specificity(b.host) - specificity(a.host))[0];
}

function specificity(host: string): number {
  if (host === '%') return 0;
  return host.includes('%') ? 1 : 2;
}

export function lookupAccount(
  catalog: Catalog,
  singleNode: boolean,
  user: string,
  address: string,
): AccountCredentials | undefined {
  const account = findAccount(catalog, user, address);
  if (account !== undefined) {
    return {
      nativeHash: Buffer.from(account.nativeHash, 'hex'),
      sha2Hash: Buffer.from(account.sha2Hash, 'hex'),
    };
  }
  const rootDefined = catalog.accounts().some((candidate) => candidate.user === 'root');
  if (user === 'root' && !rootDefined && singleNode && isLoopbackAddress(address))
    return { nativeHash: EMPTY, sha2Hash: EMPTY };
  return undefined;
}

function hashes(password: string | undefined): { nativeHash: string; sha2Hash: string } {
  if (password === undefined || password === '') return { nativeHash: '', sha2Hash: '' };
  return {
    nativeHash: Buffer.from(hashNativePassword(password)).toString('hex'),
    sha2Hash: Buffer.from(hashSha2Password(password)).toString('hex'),
  };
}

const same = (account: AccountDef, spec: UserSpec): boolean =>
  account.user === spec.user && account.host.toLowerCase() === spec.host.toLowerCase();
const label = (spec: UserSpec): string => `'${spec.user}'@'${spec.host}'`;

export function createUser(context: StatementContext, statement: CreateUserStatement): ResultOk {
  requireAdmin(context);
  const { catalog } = context.services;
  const accounts = [...catalog.accounts()];
  const failed: string[] = [];
  for (const auth of statement.users) {
    if (accounts.some((account) => same(account, auth.user))) {
      if (!statement.ifNotExists) failed.push(label(auth.user));
      continue;
    }
    const grants: GrantDef[] =
      auth.user.user === 'root'
        ? [{ database: '*', privileges: ['ALL PRIVILEGES'], withGrantOption: true }]
        : [];
    accounts.push({ user: auth.user.user, host: auth.user.host, ...hashes(auth.password), grants });
  }
  if (failed.length > 0)
    throw sqlError('CANNOT_USER', `Operation CREATE USER failed for ${failed.join(',')}`);
  catalog.putAccounts(accounts);
  return ok(0);
}

export function dropUser(context: StatementContext, statement: DropUserStatement): ResultOk {
  requireAdmin(context);
  const { catalog } = context.services;
  const missing = statement.users.filter(
    (spec) => !catalog.accounts().some((account) => same(account, spec)),
  );
  if (missing.length > 0 && !statement.ifExists)
    throw sqlError('CANNOT_USER', `Operation DROP USER failed for ${missing.map(label).join(',')}`);
  catalog.putAccounts(
    catalog.accounts().filter((account) => !statement.users.some((spec) => same(account, spec))),
  );
  return ok(0);
}

export function alterUser(context: StatementContext, statement: AlterUserStatement): ResultOk {
  requireAdmin(context);
  const { catalog } = context.services;
  let accounts = [...catalog.accounts()];
  for (const auth of statement.users) {
    const index = accounts.findIndex((account) => same(account, auth.user));
    if (index < 0) {
      if (statement.ifExists) continue;
      throw sqlError('CANNOT_USER', `Operation ALTER USER failed for ${label(auth.user)}`);
    }
    accounts = accounts.map((account, position) =>
      position === index ? { ...account, ...hashes(auth.password) } : account,
    );
  }
  catalog.putAccounts(accounts);
  return ok(0);
}

export function setPassword(context: StatementContext, statement: SetPasswordStatement): ResultOk {
  const spec = statement.user ?? { user: context.session.user, host: '%' };
  if (statement.user !== undefined) requireAdmin(context);
  const { catalog } = context.services;
  const accounts = catalog.accounts();
  const target =
    accounts.find((account) => same(account, spec)) ??
    (statement.user === undefined
      ? findAccount(catalog, context.session.user, context.session.host)
      : undefined);
  if (target === undefined)
    throw sqlError('NO_SUCH_USER', `Can't find any matching row in the user table`);
  catalog.putAccounts(
    accounts.map((account) =>
      account === target ? { ...account, ...hashes(statement.password) } : account,
    ),
  );
  return ok(0);
}

export function grant(context: StatementContext, statement: GrantStatement): ResultOk {
  requireAdmin(context);
  const { catalog } = context.services;
  const database =
    statement.on.database ??
    (statement.on.table === '*' ? context.session.database : context.session.database) ??
    '*';
  let accounts = [...catalog.accounts()];
  for (const auth of statement.to) {
    let index = accounts.findIndex((account) => same(account, auth.user));
    if (index < 0) {
      if (auth.password === undefined)
        throw sqlError('NO_SUCH_USER', "Can't find any matching row in the user table");
      accounts.push({
        user: auth.user.user,
        host: auth.user.host,
        ...hashes(auth.password),
        grants: [],
      });
      index = accounts.length - 1;
    }
    const account = accounts[index] as AccountDef;
    const privileges = statement.privileges.map((privilege) =>
      privilege.name === 'ALL' ? 'ALL PRIVILEGES' : privilege.name,
    );
    const existing = account.grants.find((entry) => entry.database === database);
    const merged: GrantDef = {
      database,
      privileges: [...new Set([...(existing?.privileges ?? []), ...privileges])],
      withGrantOption: statement.withGrantOption || existing?.withGrantOption === true,
    };
    accounts = accounts.map((candidate, position) =>
      position === index
        ? {
            ...candidate,
            grants: [...candidate.grants.filter((entry) => entry.database !== database), merged],
          }
        : candidate,
    );
  }
  catalog.putAccounts(accounts);
  return ok(0);
}

export function revoke(context: StatementContext, statement: RevokeStatement): ResultOk {
  requireAdmin(context);
  const { catalog } = context.services;
  const database = statement.on.database ?? context.session.database ?? '*';
  const removed = new Set(
    statement.privileges.map((privilege) =>
      privilege.name === 'ALL' ? 'ALL PRIVILEGES' : privilege.name,
    ),
  );
  catalog.putAccounts(
    catalog.accounts().map((account) =>
      statement.from.some((spec) => same(account, spec))
        ? {
            ...account,
            grants: account.grants
              .map((entry) =>
                entry.database === database
                  ? {
                      ...entry,
                      privileges: removed.has('ALL PRIVILEGES')
                        ? []
                        : entry.privileges.filter((name) => !removed.has(name)),
                    }
                  : entry,
              )
              .filter((entry) => entry.privileges.length > 0),
          }
        : account,
    ),
  );
  return ok(0);
}

/** The privilege a statement needs on a database. */
export type Privilege =
  | 'SELECT'
  | 'INSERT'
  | 'UPDATE'
  | 'DELETE'
  | 'CREATE'
  | 'CREATE TEMPORARY TABLES'
  | 'CREATE VIEW'
  | 'DROP'
  | 'ALTER'
  | 'INDEX';

export function hasPrivilege(
  context: StatementContext,
  database: string,
  privilege: Privilege,
): boolean {
  const account = findAccount(context.services.catalog, context.session.user, context.session.host);
  if (account === undefined) return context.session.user === 'root';
  return account.grants.some(
    (entry) =>
      (entry.database === '*' || entry.database.toLowerCase() === database.toLowerCase()) &&
      (entry.privileges.includes('ALL PRIVILEGES') || entry.privileges.includes(privilege)),
  );
}

/** Whether the account holds any privilege on the database: what seeing it (SHOW) takes. */
export function hasAnyPrivilege(context: StatementContext, database: string): boolean {
  return seesDatabase(context)(database);
}

/** The databases the account may see (information_schema, SHOW DATABASES), in catalog order. */
export function visibleDatabases(context: StatementContext): readonly DatabaseDef[] {
  const sees = seesDatabase(context);
  return context.services.catalog.databases().filter((database) => sees(database.name));
}

/** Whether the session's account holds a privilege on a database (its account looked up once). */
function seesDatabase(context: StatementContext): (database: string) => boolean {
  const account = findAccount(context.services.catalog, context.session.user, context.session.host);
  return (database) => {
    if (database.toLowerCase() === 'information_schema') return true;
    if (account === undefined) return context.session.user === 'root';
    return account.grants.some(
      (entry) =>
        (entry.database === '*' || entry.database.toLowerCase() === database.toLowerCase()) &&
        entry.privileges.length > 0,
    );
  };
}

/** What a refused statement names: its table, and the privileges its text lists. */
export interface RefusedTable {
  readonly name: string;
  readonly named?: string;
}

/**
 * Refuses a statement the session's account may not run on `database`. A statement on a table
 * names it, as MariaDB does: 1142 "INSERT command denied … for table `db`.`t`" (`named`: the
 * privileges the text lists, e.g. REPLACE's "INSERT, DELETE"), with the client's address; one
 * on the database itself is 1044, with the account's host.
 */
export function checkPrivilege(
  context: StatementContext,
  database: string,
  privilege: Privilege,
  table?: RefusedTable,
): void {
  if (database.toLowerCase() === 'information_schema') return;
  if (!hasPrivilege(context, database, privilege))
    throw refusal(context, database, table && { named: privilege, ...table });
}

/** SHOW of a database or of a table: refused (1044, or 1142 naming `table`) without any privilege. */
export function checkVisible(
  context: StatementContext,
  database: string,
  table?: RefusedTable,
): void {
  if (!hasAnyPrivilege(context, database)) throw refusal(context, database, table);
}

function refusal(context: StatementContext, database: string, table?: RefusedTable): SqlError {
  const { user, host } = context.session;
  if (table !== undefined)
    return sqlError(
      'TABLEACCESS_DENIED',
      `${table.named ?? 'SELECT'} command denied to user '${user}'@'${host}' for table \`${database}\`.\`${table.name}\``,
    );
  const account = findAccount(context.services.catalog, user, host);
  return sqlError(
    'DBACCESS_DENIED',
    `Access denied for user '${user}'@'${account?.host ?? host}' to database '${database}'`,
  );
}

function requireAdmin(context: StatementContext): void {
  const account = findAccount(context.services.catalog, context.session.user, context.session.host);
  const admin =
    account === undefined
      ? context.session.user === 'root'
      : account.grants.some((entry) => entry.database === '*' && entry.withGrantOption);
  if (!admin)
    throw sqlError(
      'SPECIFIC_ACCESS_DENIED',
      'Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation',
    );
}
