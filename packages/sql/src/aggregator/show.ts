/**
 * SHOW statements and DESCRIBE, answered from the catalog and the session, in MySQL's column
 * layout so clients that parse them (the `mariadb` CLI, ORMs, GUI tools) work unchanged.
 * `LIKE` filters are applied here; `WHERE` filters run on the merge engine over the rows.
 */
import type { DescribeStatement, ShowStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { checkVisible } from './accounts.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultRows } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { virtualTable } from './information-schema.js';
import { infoColumn } from './information-schema-specs.js';
import {
  informationSchemaTable,
  isInformationSchema,
  showCreateInformationSchema,
} from './information-schema-tables.js';
import { column, computedText, likeMatcher, rows, textRows } from './results.js';
import { showColumns, showIndex } from './show-columns.js';
import { showCreateTable } from './show-create.js';
import { shownName } from './temporary-tables.js';
import { showGrants } from './show-grants.js';
import { showAbsentObjects } from './show-objects.js';
import { showProcesslist } from './show-processlist.js';
import { showStatus, showVariables } from './show-status.js';
import { showDatabases, showTables, showTableStatus } from './show-tables.js';
import { requireView, showCreateViewRows, shownView, viewAsTable } from './view-show.js';
import { translateExpr } from '../dialect/index.js';
import { translateOptions } from './query-options.js';

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
    case 'databases':
      return showDatabases(context, statement, like);
    case 'tables':
      return showTables(context, statement, like);
    case 'columns':
      checkShown(context, statement, 'SELECT');
      return showColumns(requireShowTable(context, statement), statement.full === true, like);
    case 'createView':
      checkShown(context, statement, 'SHOW');
      return showCreateViewRows(
        requireView(context, statement.table ?? { name: '' }, statement.database),
      );
    case 'createTable': {
      checkShown(context, statement, 'SHOW');
      const view =
        statement.table === undefined
          ? undefined
          : shownView(context, statement.table, statement.database);
      if (view !== undefined) return showCreateViewRows(view);
      const table = requireShowTable(context, statement);
      const text = isInformationSchema(table.database)
        ? showCreateInformationSchema(table)
        : showCreateTable(
            table,
            context.services.catalog.peekAutoIncrement(table.database, table.name),
          );
      return rows(
        [computedText('Table', 64), computedText('Create Table', 1024)],
        [[shownName(table), text]],
      );
    }
    case 'createDatabase': {
      const database = catalog.requireDatabase(statement.database ?? '');
      return rows(
        [computedText('Database', 64), computedText('Create Database', 1024)],
        [
          [
            database.name,
            `CREATE DATABASE ${statement.ifNotExists === true ? '/*!32312 IF NOT EXISTS*/ ' : ''}\`${database.name}\` /*!90620 PARTITIONS ${database.partitions} */ /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */`,
          ],
        ],
      );
    }
    case 'index':
      checkShown(context, statement, 'SELECT');
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
    case 'processlist':
      return showProcesslist(context, statement.full === true);
    case 'variables':
      return showVariables(context, statement, like);
    case 'status':
      return showStatus(context, statement, like);
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
              { unsigned: true },
            ),
          ],
          [[warnings.length]],
        );
      return rows(
        [
          computedText('Level', 7),
          { name: 'Code', type: 'int', length: 4, unsigned: true, nullable: false },
          computedText('Message', 512),
        ],
        warnings.map((warning) => [warning.level, warning.code, warning.message]),
      );
    }
    case 'collation':
      return infoRows(context, 'COLLATIONS', COLLATION_COLUMNS, like);
    case 'charset':
      return infoRows(context, 'CHARACTER_SETS', CHARSET_COLUMNS, like);
    case 'engines':
      return infoRows(context, 'ENGINES', ENGINE_COLUMNS, () => true);
    case 'grants':
      return showGrants(context, statement);
    case 'tableStatus':
      return showTableStatus(context, statement, like);
    case 'plugins':
    case 'masterStatus':
    case 'triggers':
    case 'procedureStatus':
    case 'functionStatus':
    case 'events':
    case 'privileges':
    case 'openTables':
      return showAbsentObjects(statement) ?? textRows(['Name'], []);
    case 'slaveStatus':
    case 'binaryLogs':
    case 'pipelines':
      return textRows(['Name'], []);
    default:
      throw sqlError('NOT_SUPPORTED', `SHOW ${statement.what} is not supported`);
  }
}

/** SHOW of a table needs some privilege on its database (1142 naming `named`, as MariaDB). */
function checkShown(context: StatementContext, statement: ShowStatement, named: string): void {
  if (statement.table === undefined) return;
  const database = currentDatabase(context, statement.database ?? statement.table.database);
  checkVisible(context, database, { name: statement.table.name, named });
}

function requireShowTable(context: StatementContext, statement: ShowStatement): TableDef {
  if (statement.table === undefined) throw sqlError('PARSE', 'SHOW needs a table');
  const database = currentDatabase(context, statement.database ?? statement.table.database);
  return shownTable(context, database, statement.table.name);
}

/** A table, a view (as a keyless table) or an information_schema table (1109 if unknown). */
function shownTable(context: StatementContext, database: string, name: string): TableDef {
  if (isInformationSchema(database)) {
    const table = informationSchemaTable(name);
    if (table === undefined)
      throw sqlError('UNKNOWN_TABLE', `Unknown table '${name}' in information_schema`);
    return table;
  }
  const view = context.services.catalog.view(database, name);
  if (view !== undefined) return viewAsTable(context, view);
  return context.services.catalog.requireTable(database, name);
}

export function describe(context: StatementContext, statement: DescribeStatement): ResultRows {
  const database = currentDatabase(context, statement.table.database);
  const table = shownTable(context, database, statement.table.name);
  return showColumns(table, false, likeMatcher(statement.column));
}

/** SHOW COLLATION, CHARSET and ENGINES: columns of an information_schema table, renamed. */
const COLLATION_COLUMNS: readonly (readonly [string, string])[] = [
  ['Collation', 'COLLATION_NAME'],
  ['Charset', 'CHARACTER_SET_NAME'],
  ['Id', 'ID'],
  ['Default', 'IS_DEFAULT'],
  ['Compiled', 'IS_COMPILED'],
  ['Sortlen', 'SORTLEN'],
];
const CHARSET_COLUMNS: readonly (readonly [string, string])[] = [
  ['Charset', 'CHARACTER_SET_NAME'],
  ['Description', 'DESCRIPTION'],
  ['Default collation', 'DEFAULT_COLLATE_NAME'],
  ['Maxlen', 'MAXLEN'],
];
const ENGINE_COLUMNS: readonly (readonly [string, string])[] = [
  ['Engine', 'ENGINE'],
  ['Support', 'SUPPORT'],
  ['Comment', 'COMMENT'],
  ['Transactions', 'TRANSACTIONS'],
  ['XA', 'XA'],
  ['Savepoints', 'SAVEPOINTS'],
];

/** Rows of an information_schema table whose first column `like` keeps, some columns renamed. */
async function infoRows(
  context: StatementContext,
  table: string,
  shown: readonly (readonly [string, string])[],
  like: (name: string) => boolean,
): Promise<ResultRows> {
  const virtual = await virtualTable(context, table);
  const positions = shown.map(([, source]) =>
    virtual.columns.findIndex((column) => column.name === source),
  );
  return rows(
    shown.map(([name, source]) => infoColumn(table, source, name)),
    virtual.rows
      .filter((row) => like(String(row[positions[0] ?? 0])))
      .map((row) => positions.map((position) => row[position] ?? null)),
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
  const integer = new Set(['tinyint', 'smallint', 'int', 'bigint']);
  const engineColumns = [
    ...result.columns.map((meta) => ({
      name: meta.name,
      engineType: integer.has(meta.type)
        ? 'BIGINT'
        : meta.type === 'double' || meta.type === 'decimal'
          ? 'DOUBLE'
          : 'VARCHAR COLLATE NOCASE',
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
    context.signal,
  );
  const keep = selected.rows.map((row) => Number(row[0]));
  return rows(
    result.columns,
    keep.map((index) => result.rows[index] ?? []),
  );
}
