/**
 * The golden tests' tables: one definition written as MySQL DDL for MariaDB (regeneration)
 * and as small engine DDL for DuckDB and SQLite. The real DDL translation lives elsewhere.
 */
import type { ColumnMeta } from '../../../src/values.js';

export interface FixtureColumn {
  readonly name: string;
  readonly mysql: string;
  readonly duckdb: string;
  readonly sqlite: string;
  readonly meta: Omit<ColumnMeta, 'name'>;
}

export interface FixtureTable {
  readonly name: string;
  readonly columns: readonly FixtureColumn[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

function col(
  name: string,
  mysql: string,
  duckdb: string,
  sqlite: string,
  meta: Omit<ColumnMeta, 'name'>,
): FixtureColumn {
  return { name, mysql, duckdb, sqlite, meta };
}

const text = (length: number): Omit<ColumnMeta, 'name'> => ({ type: 'varchar', length });

export const tables: readonly FixtureTable[] = [
  {
    name: 't1',
    columns: [
      col('id', 'INT PRIMARY KEY', 'INTEGER PRIMARY KEY', 'INTEGER PRIMARY KEY', {
        type: 'int',
        nullable: false,
      }),
      col('i', 'INT', 'INTEGER', 'INTEGER', { type: 'int' }),
      col('b', 'BIGINT', 'BIGINT', 'INTEGER', { type: 'bigint' }),
      col('d', 'DECIMAL(10,2)', 'DECIMAL(10,2)', 'REAL', {
        type: 'decimal',
        precision: 10,
        scale: 2,
      }),
      col('f', 'DOUBLE', 'DOUBLE', 'REAL', { type: 'double' }),
      col('s', 'VARCHAR(32)', 'VARCHAR COLLATE NOCASE', 'TEXT COLLATE NOCASE', text(32)),
      col('dt', 'DATE', 'DATE', 'TEXT', { type: 'date' }),
      col('ts', 'DATETIME', 'TIMESTAMP', 'TEXT', { type: 'datetime', scale: 0 }),
      col('j', 'JSON', 'JSON', 'TEXT', { type: 'json' }),
    ],
    rows: [
      [
        1,
        7,
        2,
        '1.25',
        2.5,
        'Apple',
        '2024-01-31',
        '2024-01-31 10:11:12',
        '{"a": 1, "b": [1, 2, 3], "c": "x"}',
      ],
      [
        2,
        -7,
        3,
        '-3.50',
        -0.5,
        'banana',
        '2024-02-29',
        '2024-02-29 23:59:59',
        '{"a": 2, "b": [], "c": null}',
      ],
      [3, 0, -4, '0.00', 0, 'APPLE', '2023-12-31', '2023-12-31 00:00:00', '[1, "two", 3.5]'],
      [4, null, null, null, null, null, null, null, null],
      [
        5,
        10,
        '9007199254740993',
        '99999999.99',
        1e20,
        '10',
        '2000-01-01',
        '2000-01-01 12:00:00',
        '"str"',
      ],
      [
        6,
        15,
        5,
        '2.50',
        -2.5,
        'abc',
        '2021-01-01',
        '2021-01-01 06:07:08',
        '{"a": {"b": {"c": 42}}}',
      ],
      [7, 3, 0, '0.05', 1.005, '12abc', '2024-12-30', '2024-12-30 18:30:00', '{"k": true}'],
      [8, 7, 2, '1.25', 3.75, ' pad ', '1999-03-15', '1999-03-15 01:02:03', '[]'],
    ],
  },
  {
    name: 't2',
    columns: [
      col('id', 'INT PRIMARY KEY', 'INTEGER PRIMARY KEY', 'INTEGER PRIMARY KEY', {
        type: 'int',
        nullable: false,
      }),
      col('t1_id', 'INT', 'INTEGER', 'INTEGER', { type: 'int' }),
      col('grp', 'VARCHAR(8)', 'VARCHAR COLLATE NOCASE', 'TEXT COLLATE NOCASE', text(8)),
      col('qty', 'INT', 'INTEGER', 'INTEGER', { type: 'int' }),
      col('price', 'DECIMAL(8,3)', 'DECIMAL(8,3)', 'REAL', {
        type: 'decimal',
        precision: 8,
        scale: 3,
      }),
    ],
    rows: [
      [1, 1, 'a', 3, '1.500'],
      [2, 1, 'A', 4, '2.250'],
      [3, 2, 'b', null, '10.000'],
      [4, 3, 'b', 5, null],
      [5, 9, 'c', 1, '0.333'],
      [6, null, null, 2, '7.125'],
    ],
  },
];

function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

export function setupStatements(engine: 'mysql' | 'duckdb' | 'sqlite'): string[] {
  const statements: string[] = [];
  for (const table of tables) {
    const columns = table.columns.map((c) => `${c.name} ${c[engine]}`).join(', ');
    statements.push(`CREATE TABLE ${table.name} (${columns})`);
    for (const row of table.rows) {
      // 9007199254740993 is beyond a double's integers, so it is written as text; every engine converts it.
      const values = row.map((v) => literal(v));
      statements.push(`INSERT INTO ${table.name} VALUES (${values.join(', ')})`);
    }
  }
  return statements;
}

export function resolver(): {
  resolveTable(
    database: string | undefined,
    name: string,
  ): { engineName: string; columns: ColumnMeta[] } | undefined;
} {
  return {
    resolveTable(_database, name) {
      const table = tables.find((t) => t.name === name.toLowerCase());
      if (table === undefined) return undefined;
      return {
        engineName: table.name,
        columns: table.columns.map((c) => ({
          name: c.name,
          ...c.meta,
          nullable: c.meta.nullable ?? true,
        })),
      };
    },
  };
}
