/**
 * SHOW statements about objects this server does not have — triggers, stored routines, events,
 * open tables, the binary log — answered as MariaDB answers them when there are none: its
 * columns (from the information_schema tables it builds them on) and no rows. SHOW PLUGINS
 * lists the authentication plugins.
 */
import type { ShowStatement } from '../parser/ast.js';
import type { ResultRows } from '../protocol/backend.js';
import type { ColumnMeta } from '../values.js';
import { infoColumn } from './information-schema-specs.js';
import { computedText, rows } from './results.js';

const CLIENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['character_set_client', 'CHARACTER_SET_CLIENT'],
  ['collation_connection', 'COLLATION_CONNECTION'],
  ['Database Collation', 'DATABASE_COLLATION'],
];

/** SHOW names and information_schema sources of each statement's columns. */
const LAYOUTS: Readonly<Record<string, readonly [string, readonly (readonly [string, string])[]]>> =
  {
    triggers: [
      'TRIGGERS',
      [
        ['Trigger', 'TRIGGER_NAME'],
        ['Event', 'EVENT_MANIPULATION'],
        ['Table', 'EVENT_OBJECT_TABLE'],
        ['Statement', 'ACTION_STATEMENT'],
        ['Timing', 'ACTION_TIMING'],
        ['Created', 'CREATED'],
        ['sql_mode', 'SQL_MODE'],
        ['Definer', 'DEFINER'],
        ...CLIENT_COLUMNS,
      ],
    ],
    procedureStatus: ['ROUTINES', routineColumns()],
    functionStatus: ['ROUTINES', routineColumns()],
    events: [
      'EVENTS',
      [
        ['Db', 'EVENT_SCHEMA'],
        ['Name', 'EVENT_NAME'],
        ['Definer', 'DEFINER'],
        ['Time zone', 'TIME_ZONE'],
        ['Type', 'EVENT_TYPE'],
        ['Execute at', 'EXECUTE_AT'],
        ['Interval value', 'INTERVAL_VALUE'],
        ['Interval field', 'INTERVAL_FIELD'],
        ['Starts', 'STARTS'],
        ['Ends', 'ENDS'],
        ['Status', 'STATUS'],
        ['Originator', 'ORIGINATOR'],
        ...CLIENT_COLUMNS,
      ],
    ],
  };

function routineColumns(): (readonly [string, string])[] {
  return [
    ['Db', 'ROUTINE_SCHEMA'],
    ['Name', 'ROUTINE_NAME'],
    ['Type', 'ROUTINE_TYPE'],
    ['Definer', 'DEFINER'],
    ['Modified', 'LAST_ALTERED'],
    ['Created', 'CREATED'],
    ['Security_type', 'SECURITY_TYPE'],
    ['Comment', 'ROUTINE_COMMENT'],
    ...CLIENT_COLUMNS,
  ];
}

/** A column of one of MariaDB's information_schema tables that this server does not keep. */
function hiddenColumn(
  table: string,
  name: string,
  shape: Pick<ColumnMeta, 'type' | 'length'> & { nullable?: boolean },
): ColumnMeta {
  return {
    name,
    ...shape,
    nullable: shape.nullable ?? false,
    noDefaultValue: true,
    database: 'information_schema',
    table,
    orgTable: table,
    orgName: name,
  };
}

const PLUGIN_COLUMNS: readonly ColumnMeta[] = [
  { ...hiddenColumn('PLUGINS', 'PLUGIN_NAME', { type: 'varchar', length: 64 }), name: 'Name' },
  { ...hiddenColumn('PLUGINS', 'PLUGIN_STATUS', { type: 'varchar', length: 16 }), name: 'Status' },
  { ...hiddenColumn('PLUGINS', 'PLUGIN_TYPE', { type: 'varchar', length: 80 }), name: 'Type' },
  {
    ...hiddenColumn('PLUGINS', 'PLUGIN_LIBRARY', { type: 'varchar', length: 64, nullable: true }),
    name: 'Library',
  },
  {
    ...hiddenColumn('PLUGINS', 'PLUGIN_LICENSE', { type: 'varchar', length: 80 }),
    name: 'License',
  },
];

/** The answer of a SHOW about objects this server does not keep; undefined for other SHOWs. */
export function showAbsentObjects(statement: ShowStatement): ResultRows | undefined {
  const layout = LAYOUTS[statement.what];
  if (layout !== undefined) {
    const [table, columns] = layout;
    return rows(
      columns.map(([name, source]) => infoColumn(table, source, name)),
      [],
    );
  }
  switch (statement.what) {
    case 'openTables':
      return rows(
        [
          hiddenColumn('OPEN_TABLES', 'Database', { type: 'varchar', length: 64 }),
          hiddenColumn('OPEN_TABLES', 'Table', { type: 'varchar', length: 64 }),
          hiddenColumn('OPEN_TABLES', 'In_use', { type: 'bigint', length: 1 }),
          hiddenColumn('OPEN_TABLES', 'Name_locked', { type: 'bigint', length: 4 }),
        ],
        [],
      );
    case 'plugins':
      return rows(PLUGIN_COLUMNS, [
        ['mysql_native_password', 'ACTIVE', 'AUTHENTICATION', null, 'Apache-2.0'],
        ['caching_sha2_password', 'ACTIVE', 'AUTHENTICATION', null, 'Apache-2.0'],
      ]);
    case 'masterStatus':
      // Without a binary log MariaDB answers these columns and no row.
      return rows(
        [
          computedText('File', 512),
          { name: 'Position', type: 'bigint', length: 20, unsigned: true, nullable: false },
          computedText('Binlog_Do_DB', 255),
          computedText('Binlog_Ignore_DB', 255),
        ],
        [],
      );
    case 'privileges':
      return rows(
        [computedText('Privilege', 10), computedText('Context', 15), computedText('Comment', 64)],
        [],
      );
    default:
      return undefined;
  }
}
