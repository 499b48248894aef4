/**
 * SHOW statements and DESCRIBE, answered from the catalog and the session, in MySQL's column
 * layout so clients that parse them (the `mariadb` CLI, ORMs, GUI tools) work unchanged.
 * `LIKE` filters are applied here; `WHERE` filters run on the merge engine over the rows.
 */
import type { DescribeStatement, ShowStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { columnKey } from '../catalog/column-key.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultRows } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { virtualTable } from './information-schema.js';
import { statisticsRows, unquoteDefault } from './information-schema-rows.js';
import { column, likeMatcher, rows, textRows } from './results.js';
import { showCreateTable } from './show-create.js';
import {
  requireView,
  showCreateViewRows,
  shownView,
  viewAsTable,
  viewNames,
  withViewStatus,
} from './view-show.js';
import { translateExpr } from '../dialect/index.js';
import { translateOptions } from './query-options.js';
import { shownValue } from './system-variables.js';

export async function show(
  context: StatementContext,
  statement: ShowStatement,
): Promise<ResultRows> {
  const result = await showRows(context, statement);
  return statement.where === undefined ? result : filterWhere(context, result, statement);
}

async function showRows(context: StatementContext, statement: ShowStatement): Promise<ResultRows> {
  const { catalog } = context.services;
  const like = likeMatcher(statement.like);
  switch (statement.what) {
    case 'databases': {
      const names = ['information_schema', ...catalog.databases().map((db) => db.name)].filter(
        like,
      );
      return textRows(
        [statement.like ? `Database (${statement.like})` : 'Database'],
        names.map((name) => [name]),
      );
    }
    case 'tables': {
      const database = currentDatabase(context, statement.database);
      catalog.requireDatabase(database);
      const header = `Tables_in_${database}${statement.like ? ` (${statement.like})` : ''}`;
      const entries = [
        ...catalog.tables(database).map((table) => [table.name, 'BASE TABLE']),
        ...viewNames(context, database).map((name) => [name, 'VIEW']),
      ]
        .filter(([name]) => like(name ?? ''))
        .sort(([a], [b]) => (a ?? '').localeCompare(b ?? ''));
      return textRows(
        statement.full === true ? [header, 'Table_type'] : [header],
        entries.map((entry) => (statement.full === true ? entry : entry.slice(0, 1))),
      );
    }
    case 'columns':
      return showColumns(
        context,
        requireShowTable(context, statement),
        statement.full === true,
        like,
      );
    case 'createView':
      return showCreateViewRows(
        requireView(context, statement.table ?? { name: '' }, statement.database),
      );
    case 'createTable': {
      const view =
        statement.table === undefined
          ? undefined
          : shownView(context, statement.table, statement.database);
      if (view !== undefined) return showCreateViewRows(view);
      const table = requireShowTable(context, statement);
      return textRows(
        ['Table', 'Create Table'],
        [
          [
            table.name,
            showCreateTable(
              table,
              context.services.catalog.peekAutoIncrement(table.database, table.name),
            ),
          ],
        ],
      );
    }
    case 'createDatabase': {
      const database = catalog.requireDatabase(statement.database ?? '');
      return textRows(
        ['Database', 'Create Database'],
        [
          [
            database.name,
            `CREATE DATABASE \`${database.name}\` /*!90620 PARTITIONS ${database.partitions} */ /*!40100 DEFAULT CHARACTER SET utf8mb4 */`,
          ],
        ],
      );
    }
    case 'index':
      return showIndex(requireShowTable(context, statement));
    case 'partitions': {
      const database = catalog.requireDatabase(currentDatabase(context, statement.database));
      const values = context.services.cluster
        .partitions(database)
        .map((target) => [
          target.partition.ordinal,
          target.leaf.host,
          target.leaf.port,
          'Master',
          0,
        ]);
      return rows(
        [
          column('Ordinal', 'bigint'),
          column('Host'),
          column('Port', 'bigint'),
          column('Role'),
          column('Locked', 'bigint'),
        ],
        values,
      );
    }
    case 'leaves':
      return showLeaves(context);
    case 'aggregators':
      return rows(
        [column('Host'), column('Port', 'bigint'), column('State'), column('Is_Master', 'bigint')],
        [
          [
            context.services.hostname,
            Number(context.session.variables.get('port') ?? 0),
            'online',
            1,
          ],
        ],
      );
    case 'processlist': {
      const table = await virtualTable(context, 'PROCESSLIST');
      const names = ['Id', 'User', 'Host', 'db', 'Command', 'Time', 'State', 'Info'];
      return rows(
        table.columns.map((meta, index) => ({ ...meta, name: names[index] ?? meta.name })),
        table.rows.map((row) =>
          statement.full === true
            ? row
            : row.map((value, index) =>
                index === 7 && typeof value === 'string' ? value.slice(0, 100) : value,
              ),
        ),
      );
    }
    case 'variables': {
      const source =
        statement.scope === 'global' ? context.services.variables : context.session.variables;
      const values = [...source.entries()]
        .filter(([name]) => like(name))
        .sort(([a], [b]) => a.localeCompare(b));
      return textRows(
        ['Variable_name', 'Value'],
        values.map(([name, value]) => [name, shownValue(name, value)]),
      );
    }
    case 'status': {
      const uptime = Math.floor((context.nowMs - context.services.startedAtMs) / 1000);
      const status: [string, SqlValue][] = [
        ['Threads_connected', context.services.sessions.size],
        ['Uptime', uptime],
        ['Aborted_connects', 0],
        // Per session, as MySQL shows them: empty on a plain connection.
        ['Ssl_version', context.session.tls?.version ?? ''],
        ['Ssl_cipher', context.session.tls?.cipher ?? ''],
      ];
      return textRows(
        ['Variable_name', 'Value'],
        status.filter(([name]) => like(name)).map(([name, value]) => [name, String(value)]),
      );
    }
    case 'warnings':
    case 'errors': {
      const warnings = context.session.warnings.filter(
        (warning) => statement.what === 'warnings' || warning.level === 'Error',
      );
      if (statement.count === true)
        return rows(
          [
            column(
              `@@session.${statement.what === 'warnings' ? 'warning' : 'error'}_count`,
              'bigint',
            ),
          ],
          [[warnings.length]],
        );
      return rows(
        [column('Level'), column('Code', 'int'), column('Message')],
        warnings.map((warning) => [warning.level, warning.code, warning.message]),
      );
    }
    case 'collation':
      return textRows(
        ['Collation', 'Charset', 'Id', 'Default', 'Compiled', 'Sortlen'],
        [
          ['utf8mb4_general_ci', 'utf8mb4', '45', 'Yes', 'Yes', '1'],
          ['utf8mb4_bin', 'utf8mb4', '46', '', 'Yes', '1'],
          ['binary', 'binary', '63', 'Yes', 'Yes', '1'],
        ].filter((row) => like(row[0] ?? '')),
      );
    case 'charset':
      return textRows(
        ['Charset', 'Description', 'Default collation', 'Maxlen'],
        [
          ['utf8mb4', 'UTF-8 Unicode', 'utf8mb4_general_ci', '4'],
          ['binary', 'Binary pseudo charset', 'binary', '1'],
        ].filter((row) => like(row[0] ?? '')),
      );
    case 'engines':
      return textRows(
        ['Engine', 'Support', 'Comment', 'Transactions', 'XA', 'Savepoints'],
        [
          [
            'Columnstore',
            'DEFAULT',
            'Column-oriented storage for analytics (DuckDB)',
            'YES',
            'YES',
            'NO',
          ],
          ['Rowstore', 'YES', 'Row-oriented storage for transactions (SQLite)', 'YES', 'YES', 'NO'],
        ],
      );
    case 'grants':
      return showGrants(context, statement);
    case 'tableStatus': {
      const database = currentDatabase(context, statement.database);
      const tables = catalog.tables(database).filter((table) => like(table.name));
      const result = textRows(
        [
          'Name',
          'Engine',
          'Version',
          'Row_format',
          'Rows',
          'Avg_row_length',
          'Data_length',
          'Max_data_length',
          'Index_length',
          'Data_free',
          'Auto_increment',
          'Create_time',
          'Update_time',
          'Check_time',
          'Collation',
          'Checksum',
          'Create_options',
          'Comment',
        ],
        tables.map((table) => [
          table.name,
          table.storage === 'column' ? 'Columnstore' : 'Rowstore',
          '10',
          'Dynamic',
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          new Date(table.createdAtMs).toISOString().slice(0, 19).replace('T', ' '),
          null,
          null,
          'utf8mb4_general_ci',
          null,
          table.reference ? 'reference' : '',
          table.comment ?? '',
        ]),
      );
      return withViewStatus(context, database, like, result);
    }
    case 'plugins':
      return textRows(
        ['Name', 'Status', 'Type', 'Library', 'License'],
        [
          ['mysql_native_password', 'ACTIVE', 'AUTHENTICATION', null, 'Apache-2.0'],
          ['caching_sha2_password', 'ACTIVE', 'AUTHENTICATION', null, 'Apache-2.0'],
        ],
      );
    case 'masterStatus':
    case 'slaveStatus':
    case 'binaryLogs':
    case 'triggers':
    case 'procedureStatus':
    case 'functionStatus':
    case 'events':
    case 'pipelines':
    case 'privileges':
    case 'openTables':
      return textRows(['Name'], []);
    default:
      throw sqlError('NOT_SUPPORTED', `SHOW ${statement.what} is not supported`);
  }
}

function requireShowTable(context: StatementContext, statement: ShowStatement): TableDef {
  if (statement.table === undefined) throw sqlError('PARSE', 'SHOW needs a table');
  const database = currentDatabase(context, statement.database ?? statement.table.database);
  const view = context.services.catalog.view(database, statement.table.name);
  if (view !== undefined) return viewAsTable(context, view);
  return context.services.catalog.requireTable(database, statement.table.name);
}

export function describe(context: StatementContext, statement: DescribeStatement): ResultRows {
  const view = shownView(context, statement.table);
  const table =
    view === undefined
      ? context.services.catalog.requireTable(
          currentDatabase(context, statement.table.database),
          statement.table.name,
        )
      : viewAsTable(context, view);
  return showColumns(context, table, false, likeMatcher(statement.column));
}

function showColumns(
  context: StatementContext,
  table: TableDef,
  full: boolean,
  like: (text: string) => boolean,
): ResultRows {
  const values = table.columns
    .filter((meta) => like(meta.name))
    .map((meta) => {
      const extra =
        meta.autoIncrement === true
          ? 'auto_increment'
          : meta.onUpdateCurrentTimestamp === true
            ? `on update current_timestamp(${meta.scale ?? ''})`
            : '';
      const textual = ['char', 'varchar', 'text'].includes(meta.type);
      const base: SqlValue[] = [
        meta.name,
        meta.mysqlType,
        meta.nullable ? 'YES' : 'NO',
        columnKey(table, meta.name),
        meta.defaultSql === undefined ? null : unquoteDefault(meta.defaultSql),
        extra,
      ];
      return full
        ? [
            meta.name,
            meta.mysqlType,
            textual ? 'utf8mb4_general_ci' : null,
            ...base.slice(2),
            'select,insert,update,references',
            meta.comment ?? '',
          ]
        : base;
    });
  const names = full
    ? ['Field', 'Type', 'Collation', 'Null', 'Key', 'Default', 'Extra', 'Privileges', 'Comment']
    : ['Field', 'Type', 'Null', 'Key', 'Default', 'Extra'];
  void context;
  return textRows(names, values);
}

function showIndex(table: TableDef): ResultRows {
  // information_schema.STATISTICS's rows without catalog, schema and index schema (positions
  // 0, 1 and 4): Table, Non_unique, Key_name, Seq_in_index and the rest as they are.
  const entries = statisticsRows(table).map((row) => [row[2]!, row[3]!, row[5]!, ...row.slice(6)]);
  return rows(
    [
      column('Table'),
      column('Non_unique', 'int'),
      column('Key_name'),
      column('Seq_in_index', 'int'),
      column('Column_name'),
      column('Collation'),
      column('Cardinality', 'bigint'),
      column('Sub_part', 'bigint'),
      column('Packed'),
      column('Null'),
      column('Index_type'),
      column('Comment'),
      column('Index_comment'),
      column('Visible'),
      column('Expression'),
    ],
    entries,
  );
}

async function showLeaves(context: StatementContext): Promise<ResultRows> {
  const { catalog, cluster } = context.services;
  const values = await Promise.all(
    catalog.leaves().map(async (leaf) => {
      let state = 'online';
      try {
        await (await cluster.pool.get(leaf)).info();
      } catch {
        state = 'offline';
      }
      return [leaf.host, leaf.port, 1, null, null, state, 0, null, null];
    }),
  );
  return rows(
    [
      column('Host'),
      column('Port', 'bigint'),
      column('Availability_Group', 'bigint'),
      column('Pair_Host'),
      column('Pair_Port', 'bigint'),
      column('State'),
      column('Opened_Connections', 'bigint'),
      column('Average_Roundtrip_Latency_ms'),
      column('NodeId'),
    ],
    values,
  );
}

function showGrants(context: StatementContext, statement: ShowStatement): ResultRows {
  const user = statement.user?.user ?? context.session.user;
  const host = statement.user?.host ?? '%';
  const account = context.services.catalog
    .accounts()
    .find(
      (candidate) =>
        candidate.user === user && (statement.user === undefined || candidate.host === host),
    );
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
    lines.push(`GRANT USAGE ON *.* TO \`${account.user}\`@\`${account.host}\``);
    for (const grant of account.grants) {
      const target = grant.database === '*' ? '*.*' : `\`${grant.database}\`.*`;
      lines.push(
        `GRANT ${grant.privileges.join(', ')} ON ${target} TO \`${account.user}\`@\`${account.host}\`${grant.withGrantOption ? ' WITH GRANT OPTION' : ''}`,
      );
    }
  }
  return textRows(
    [`Grants for ${user}@${host}`],
    lines.map((line) => [line]),
  );
}

/** `SHOW ... WHERE expr`: evaluates the condition over the rows on the merge engine. */
async function filterWhere(
  context: StatementContext,
  result: ResultRows,
  statement: ShowStatement,
): Promise<ResultRows> {
  const where = statement.where;
  if (where === undefined) return result;
  const name = 'show_rows';
  const options = translateOptions(context, 'duckdb', () => undefined);
  const condition = translateExpr(where, {
    ...options,
    scope: { tables: [{ name, columns: result.columns }] },
    condition: true,
  });
  const numeric = (type: string): boolean => type === 'bigint' || type === 'int';
  const engineColumns = [
    ...result.columns.map((meta) => ({
      name: meta.name,
      engineType: numeric(meta.type) ? 'BIGINT' : 'VARCHAR COLLATE NOCASE',
    })),
    { name: '__row', engineType: 'BIGINT' },
  ];
  const loaded = result.rows.map((row, index) => [
    ...row.map((value) =>
      value === null ? null : typeof value === 'number' ? value : String(value),
    ),
    index,
  ]);
  const selected = await context.services.merge.run(
    [{ name, columns: engineColumns, rows: loaded }],
    `SELECT "__row" FROM "${name}" WHERE ${condition.sql} ORDER BY "__row"`,
    condition.params.map((index) => context.params[index] ?? null),
  );
  const keep = selected.rows.map((row) => Number(row[0]));
  return rows(
    result.columns,
    keep.map((index) => result.rows[index] ?? []),
  );
}
