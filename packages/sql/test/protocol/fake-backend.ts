/**
 * A test double standing in for the SQL engine (which is built separately): it answers a
 * fixed set of statements so the protocol layer can be tested with real clients. It is not
 * a SQL implementation; anything it does not know is a 1064 syntax error.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import { sqlError } from '../../src/errors.js';
import type {
  AccountCredentials,
  BackendSession,
  ConnectionInfo,
  PreparedStatement,
  QueryResult,
  ResultRows,
  SqlBackend,
} from '../../src/protocol/backend.js';
import { hashNativePassword, hashSha2Password } from '../../src/protocol/index.js';
import type { ColumnMeta, SqlType, SqlValue } from '../../src/values.js';

const table = { database: 'test', table: 't', orgTable: 't' } as const;

export const T_COLUMNS: readonly ColumnMeta[] = [
  {
    name: 'id',
    type: 'int',
    nullable: false,
    primaryKey: true,
    autoIncrement: true,
    orgName: 'id',
    ...table,
  },
  { name: 'tiny', type: 'tinyint', ...table },
  { name: 'small', type: 'smallint', ...table },
  { name: 'big', type: 'bigint', ...table },
  { name: 'ubig', type: 'bigint', unsigned: true, ...table },
  { name: 'price', type: 'decimal', precision: 10, scale: 2, ...table },
  { name: 'ratio', type: 'double', ...table },
  { name: 'f', type: 'float', ...table },
  { name: 'label', type: 'char', length: 3, ...table },
  { name: 'name', type: 'varchar', length: 20, ...table },
  { name: 'note', type: 'text', ...table },
  { name: 'data', type: 'blob', ...table },
  { name: 'day', type: 'date', ...table },
  { name: 'created', type: 'datetime', scale: 6, ...table },
  { name: 'stamp', type: 'timestamp', ...table },
  { name: 'dur', type: 'time', ...table },
  { name: 'doc', type: 'json', ...table },
  { name: 'flag', type: 'bool', ...table },
  { name: 'nothing', type: 'null', ...table },
];

export const T_ROWS: readonly (readonly SqlValue[])[] = [
  [
    1,
    -5,
    -300,
    -9007199254740993n,
    18446744073709551615n,
    '12.50',
    0.1,
    1.5,
    'abc',
    'héllo ✓',
    'long text',
    Uint8Array.of(0, 255, 1),
    '2024-02-29',
    '2024-02-29 13:14:15.123456',
    '1970-01-01 00:00:01',
    '-838:59:59',
    '{"a":[1,2]}',
    1,
    null,
  ],
  [
    2,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ],
  [
    3,
    127,
    32767,
    42,
    0,
    '-0.05',
    1e21,
    -0.25,
    '',
    'x',
    '',
    new Uint8Array(),
    '0000-00-00',
    '2000-01-01 00:00:00',
    '2038-01-19 03:14:07',
    '12:00:00.5',
    '[]',
    0,
    null,
  ],
];

function rows(columns: ColumnMeta[], values: SqlValue[][]): ResultRows {
  return { kind: 'rows', columns, rows: values };
}

function column(name: string, type: SqlType, extra: Partial<ColumnMeta> = {}): ColumnMeta {
  return { name, type, ...extra };
}

/** The SqlType a value would have when echoed. */
function typeOf(value: SqlValue): SqlType {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'blob';
  if (typeof value === 'bigint') return 'bigint';
  if (typeof value === 'number') return Number.isInteger(value) ? 'bigint' : 'double';
  return 'varchar';
}

export class FakeBackend implements SqlBackend {
  readonly serverVersion = '8.0.36-exosphere';
  readonly accounts = new Map<string, AccountCredentials>();
  readonly databases = new Set(['test', 'app']);
  /** What the tests inspect: the last parameters a prepared statement received, loaded files. */
  lastParams: readonly SqlValue[] = [];
  readonly loadedFiles: { fileName: string; content: string }[] = [];
  readonly killed: number[] = [];
  sessionsOpen = 0;
  sessionsOpened = 0;

  constructor() {
    this.addAccount('root', 'secret');
    this.addAccount('alice', 'wonderland ✓');
    this.accounts.set('nopass', { nativeHash: new Uint8Array(), sha2Hash: new Uint8Array() });
  }

  addAccount(user: string, password: string): void {
    this.accounts.set(user, {
      nativeHash: hashNativePassword(password),
      sha2Hash: hashSha2Password(password),
    });
  }

  lookupAccount(user: string): AccountCredentials | undefined {
    return this.accounts.get(user);
  }

  openSession(info: ConnectionInfo): Promise<BackendSession> {
    if (info.database !== undefined && !this.databases.has(info.database)) {
      return Promise.reject(sqlError('BAD_DB', `Unknown database '${info.database}'`));
    }
    this.sessionsOpen += 1;
    this.sessionsOpened += 1;
    return Promise.resolve(new FakeSession(this, info));
  }
}

class FakeSession implements BackendSession {
  database: string | undefined;
  inTransaction = false;
  autocommit = true;
  private readonly backend: FakeBackend;
  private readonly info: ConnectionInfo;
  private lastInsertId = 0;

  constructor(backend: FakeBackend, info: ConnectionInfo) {
    this.backend = backend;
    this.info = info;
    this.database = info.database;
  }

  async query(sql: string, options: { multiStatements: boolean }): Promise<QueryResult[]> {
    // Yield so that concurrent connections really interleave.
    await nextTick();
    const statements = sql
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (statements.length > 1 && !options.multiStatements) {
      throw sqlError(
        'PARSE',
        `You have an error in your SQL syntax; check the manual near '${statements[1]}'`,
      );
    }
    const results: QueryResult[] = [];
    for (const statement of statements) results.push(this.run(statement));
    return results;
  }

  private run(sql: string): QueryResult {
    const upper = sql.toUpperCase();
    let match: RegExpExecArray | null;
    if (upper === 'SELECT 1') return rows([column('1', 'int', { nullable: false })], [[1]]);
    if ((match = /^SELECT (-?\d+)$/.exec(sql)) !== null)
      return rows([column(match[1]!, 'int')], [[Number(match[1])]]);
    if ((match = /^SELECT '([^']*)'$/s.exec(sql)) !== null) {
      return rows([column('text', 'varchar', { length: 255 })], [[match[1]!]]);
    }
    if ((match = /^SELECT REPEAT\('(.)', (\d+)\)$/.exec(sql)) !== null) {
      return rows([column('text', 'text')], [[match[1]!.repeat(Number(match[2]))]]);
    }
    if (upper === 'SELECT * FROM T')
      return rows(
        [...T_COLUMNS],
        T_ROWS.map((row) => [...row]),
      );
    if (upper === 'SELECT ID, NAME FROM T')
      return rows(
        [T_COLUMNS[0]!, T_COLUMNS[9]!],
        T_ROWS.map((row) => [row[0]!, row[9]!]),
      );
    if (upper === 'SELECT DATABASE()')
      return rows([column('DATABASE()', 'varchar', { length: 34 })], [[this.database ?? null]]);
    if (upper === 'SELECT CONNECTION_ID()')
      return rows(
        [column('CONNECTION_ID()', 'int', { unsigned: true })],
        [[this.info.connectionId]],
      );
    if (upper === 'SELECT CURRENT_USER()')
      return rows([column('CURRENT_USER()', 'varchar')], [[this.info.user]]);
    if (upper === 'SELECT @@VERSION_COMMENT LIMIT 1')
      return rows([column('@@version_comment', 'varchar')], [['test double']]);
    if (upper === 'SELECT EMPTY') return rows([column('empty', 'int')], []);
    if (upper === 'BEGIN' || upper === 'START TRANSACTION') {
      this.inTransaction = true;
      return { kind: 'ok', affectedRows: 0, lastInsertId: 0 };
    }
    if (upper === 'COMMIT' || upper === 'ROLLBACK') {
      this.inTransaction = false;
      return { kind: 'ok', affectedRows: 0, lastInsertId: 0 };
    }
    if ((match = /^INSERT INTO \w+ VALUES (.*)$/i.exec(sql)) !== null) {
      const count = match[1]!.split('),').length;
      this.lastInsertId += count;
      return {
        kind: 'ok',
        affectedRows: count,
        lastInsertId: this.lastInsertId,
        warnings: 1,
        info: `Records: ${count}  Duplicates: 0  Warnings: 1`,
      };
    }
    if ((match = /^KILL (\d+)$/i.exec(sql)) !== null) {
      this.backend.killed.push(Number(match[1]));
      return { kind: 'ok', affectedRows: 0, lastInsertId: 0 };
    }
    if ((match = /^SHOW COLUMNS FROM `(\w+)`$/i.exec(sql)) !== null) {
      if (match[1] !== 't')
        throw sqlError('NO_SUCH_TABLE', `Table '${this.database}.${match[1]}' doesn't exist`);
      return rows(
        [column('Field', 'varchar'), column('Type', 'varchar')],
        [
          ['id', 'int(11)'],
          ['name', 'varchar(20)'],
        ],
      );
    }
    if ((match = /^LOAD DATA LOCAL INFILE '([^']+)' INTO TABLE \w+$/i.exec(sql)) !== null) {
      return this.loadData(match[1]!);
    }
    if (upper === 'SELECT * FROM MISSING') {
      throw sqlError('NO_SUCH_TABLE', `Table '${this.database ?? 'test'}.missing' doesn't exist`);
    }
    if (upper === 'CRASH') throw new Error('simulated engine bug');
    if (upper === 'LONG ERROR') throw sqlError('PARSE', 'é'.repeat(600));
    throw sqlError(
      'PARSE',
      `You have an error in your SQL syntax; check the manual near '${sql.slice(0, 80)}'`,
    );
  }

  private loadData(fileName: string): QueryResult {
    return {
      kind: 'local-infile',
      fileName,
      receive: async (chunks) => {
        const parts: Buffer[] = [];
        for await (const chunk of chunks) parts.push(Buffer.from(chunk));
        const content = Buffer.concat(parts).toString('utf8');
        if (content.startsWith('FAIL')) throw sqlError('BAD_NULL', "Column 'id' cannot be null");
        this.backend.loadedFiles.push({ fileName, content });
        const records = content.split('\n').filter((line) => line !== '').length;
        return {
          kind: 'ok',
          affectedRows: records,
          lastInsertId: 0,
          info: `Records: ${records}  Deleted: 0  Skipped: 0  Warnings: 0`,
        };
      },
    };
  }

  useDatabase(name: string): Promise<void> {
    if (!this.backend.databases.has(name))
      return Promise.reject(sqlError('BAD_DB', `Unknown database '${name}'`));
    this.database = name;
    return Promise.resolve();
  }

  async prepare(sql: string): Promise<PreparedStatement> {
    await nextTick();
    const paramCount = sql.split('?').length - 1;
    const upper = sql.toUpperCase();
    const backend = this.backend;
    if (upper.startsWith('SELECT * FROM MISSING'))
      throw sqlError('NO_SUCH_TABLE', "Table 'test.missing' doesn't exist");
    if (upper.startsWith('SELECT * FROM T')) {
      return {
        paramCount,
        columns: T_COLUMNS,
        execute: (params) => {
          backend.lastParams = params;
          const wanted = params.length > 0 ? T_ROWS.filter((row) => row[0] === params[0]) : T_ROWS;
          return Promise.resolve(
            rows(
              [...T_COLUMNS],
              wanted.map((row) => [...row]),
            ),
          );
        },
        close: () => undefined,
      };
    }
    if (upper.startsWith('SELECT')) {
      // Echoes its parameters back, each typed by its JavaScript type.
      return {
        paramCount,
        columns: [],
        execute: (params) => {
          backend.lastParams = params;
          const columns = params.map((value, index) =>
            column(`p${index}`, typeOf(value), {
              unsigned: typeof value === 'bigint' && value > 2n ** 63n - 1n,
            }),
          );
          return Promise.resolve(rows(columns, [[...params]]));
        },
        close: () => undefined,
      };
    }
    if (upper.startsWith('INSERT')) {
      return {
        paramCount,
        columns: [],
        execute: (params) => {
          backend.lastParams = params;
          return Promise.resolve({ kind: 'ok', affectedRows: 1, lastInsertId: 7 });
        },
        close: () => undefined,
      };
    }
    throw sqlError(
      'PARSE',
      `You have an error in your SQL syntax; check the manual near '${sql.slice(0, 80)}'`,
    );
  }

  cancel(): void {}

  close(): Promise<void> {
    this.backend.sessionsOpen -= 1;
    return Promise.resolve();
  }
}
