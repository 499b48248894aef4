/**
 * SHOW GRANTS [FOR user | CURRENT_USER]: one GRANT statement a line, in a column named
 * `Grants for user@host`, defined as MariaDB defines it (VARCHAR(1024), NOT NULL).
 */
import type { ShowStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { globalGrant, listedPrivileges } from './privilege-tables.js';
import { computedText, rows } from './results.js';

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1';
}

export function showGrants(context: StatementContext, statement: ShowStatement): ResultRows {
  // FOR CURRENT_USER names the session's own account, as no FOR does.
  const named = statement.user?.current === true ? undefined : statement.user;
  const user = named?.user ?? context.session.user;
  const account = context.services.catalog
    .accounts()
    .find(
      (candidate) =>
        candidate.user === user && (named === undefined || candidate.host === named.host),
    );
  // The session's own account is named as CURRENT_USER() names it (root on loopback: localhost).
  const host =
    named?.host ?? account?.host ?? (isLoopback(context.session.host) ? 'localhost' : '%');
  const lines: string[] = [];
  if (account === undefined) {
    if (user === 'root')
      lines.push(`GRANT ALL PRIVILEGES ON *.* TO \`root\`@\`localhost\` WITH GRANT OPTION`);
    else
      throw sqlError(
        'NONEXISTING_GRANT',
        `There is no such grant defined for user '${user}' on host '${host}'`,
      );
  } else {
    // The first line holds the global privileges (USAGE for none) and the password's hash.
    const to = `TO \`${account.user}\`@\`${account.host}\``;
    const global = globalGrant(account);
    const password =
      account.nativeHash === ''
        ? ''
        : ` IDENTIFIED BY PASSWORD '*${account.nativeHash.toUpperCase()}'`;
    const privileges = global === undefined ? 'USAGE' : listedPrivileges(global).join(', ');
    const option = global?.withGrantOption === true ? ' WITH GRANT OPTION' : '';
    lines.push(`GRANT ${privileges} ON *.* ${to}${password}${option}`);
    for (const grant of account.grants) {
      if (grant.database === '*') continue;
      lines.push(
        `GRANT ${listedPrivileges(grant).join(', ')} ON \`${grant.database}\`.* ${to}${grant.withGrantOption ? ' WITH GRANT OPTION' : ''}`,
      );
    }
  }
  return rows(
    [computedText(`Grants for ${user}@${host}`, 1024)],
    lines.map((line) => [line]),
  );
}
