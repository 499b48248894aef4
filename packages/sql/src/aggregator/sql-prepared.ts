/**
 * PREPARE / EXECUTE / DEALLOCATE PREPARE (and DROP PREPARE): prepared statements of the SQL
 * level, kept per session by name (any case), as MariaDB keeps them. The text (a string literal
 * or a user variable) is prepared as COM_STMT_PREPARE prepares one, keeping its plan between
 * executions; EXECUTE binds its USING values to the `?` in order (MariaDB takes any constant
 * expression there, not only @variables). Preparing a name again first drops the statement it
 * named, so a text that does not parse leaves no statement of that name, as in MySQL.
 */
import { sqlError } from '../errors.js';
import type { Expr, Statement } from '../parser/ast.js';
import type { PreparedStatement, QueryResult } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import { ok } from './results.js';

export const SQL_PREPARED_KINDS: ReadonlySet<string> = new Set([
  'prepare',
  'execute',
  'deallocatePrepare',
]);

export interface SqlPreparedHost {
  /** COM_STMT_PREPARE's preparation of a text (1064 when it does not parse). */
  prepare(sql: string): PreparedStatement;
  /** The values of constant expressions (user variables included). */
  evaluate(exprs: readonly Expr[]): Promise<readonly SqlValue[]>;
}

/** The refusal of these statements inside a prepared statement, as MariaDB's. */
export function notPreparable(): Error {
  return sqlError(
    'UNSUPPORTED_PS',
    'This command is not supported in the prepared statement protocol yet',
  );
}

export class SqlPrepared {
  private readonly statements = new Map<string, PreparedStatement>();

  constructor(private readonly host: SqlPreparedHost) {}

  /** Runs one of the three statements (`SQL_PREPARED_KINDS`). */
  async run(statement: Statement): Promise<QueryResult> {
    switch (statement.kind) {
      case 'prepare': {
        const [source] = await this.host.evaluate([statement.source]);
        this.drop(statement.name);
        const prepared = this.host.prepare(sourceText(source ?? null));
        this.statements.set(statement.name.toLowerCase(), prepared);
        return ok(0, { info: 'Statement prepared' });
      }
      case 'execute': {
        const prepared = this.find(statement.name, 'EXECUTE');
        const values = await this.host.evaluate(statement.using);
        if (values.length !== prepared.paramCount)
          throw sqlError('WRONG_ARGUMENTS', 'Incorrect arguments to EXECUTE');
        return prepared.execute(values);
      }
      case 'deallocatePrepare':
        this.find(statement.name, 'DEALLOCATE PREPARE');
        this.drop(statement.name);
        return ok(0);
      default:
        throw notPreparable();
    }
  }

  /** Drops every statement (the session ends). */
  close(): void {
    for (const prepared of this.statements.values()) prepared.close();
    this.statements.clear();
  }

  private find(name: string, verb: string): PreparedStatement {
    const prepared = this.statements.get(name.toLowerCase());
    if (prepared === undefined)
      throw sqlError(
        'UNKNOWN_STMT_HANDLER',
        `Unknown prepared statement handler (${name}) given to ${verb}`,
      );
    return prepared;
  }

  private drop(name: string): void {
    this.statements.get(name.toLowerCase())?.close();
    this.statements.delete(name.toLowerCase());
  }
}

/** The text a value names: NULL is the text NULL (a syntax error, as in MariaDB). */
function sourceText(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}
