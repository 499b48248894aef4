/**
 * The canonical line shapes of the LOAD DATA fast path (`load-shapes.ts`) against the checks
 * they let a chunk skip (`load-checks.ts`), on a real DuckDB: every field a shape admits is
 * accepted by its column's check, and DuckDB's typed CSV reader gives it exactly the value the
 * checked path stores; the fields that need the checks (overflow, rounding, impossible dates,
 * non-canonical forms, long strings) fall outside the shape, and the checks refuse or change
 * what the typed reader would store for many of them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnDef } from '../../src/catalog/types.js';
import { fieldCheck } from '../../src/aggregator/load-checks.js';
import { lineShape } from '../../src/aggregator/load-shapes.js';
import { loadStatements } from '../../src/storage/load-statements.js';

const TAB = 0x09;

interface Case {
  readonly column: ColumnDef;
  readonly inside: readonly string[];
  readonly outside: readonly string[];
}

const CASES: readonly Case[] = [
  {
    column: { name: 'a', type: 'int', mysqlType: 'int(11)', nullable: false },
    inside: ['0', '-0', '7', '007', '-123456789', '999999999'],
    outside: ['2147483648', '1234567890', '+1', ' 1', '1.0', '1e3', '', '\\N', '0x10'],
  },
  {
    column: {
      name: 'a',
      type: 'tinyint',
      mysqlType: 'tinyint(3) unsigned',
      unsigned: true,
      nullable: true,
    },
    inside: ['0', '99', '\\N'],
    outside: ['-1', '-0', '255', '256', '1.5'],
  },
  {
    column: { name: 'a', type: 'bigint', mysqlType: 'bigint(20)', nullable: false },
    inside: ['-999999999999999999', '123456789012345678'],
    outside: ['9223372036854775808', '1234567890123456789'],
  },
  {
    column: {
      name: 'a',
      type: 'decimal',
      mysqlType: 'decimal(5,2)',
      precision: 5,
      scale: 2,
      nullable: false,
    },
    inside: ['0', '-0.00', '1.5', '999.99', '-12.3', '001.10'],
    outside: ['1000', '1.005', '0.125', '1.', '.5', '1e2', '9999.9'],
  },
  {
    column: {
      name: 'a',
      type: 'decimal',
      mysqlType: 'decimal(4,0) unsigned',
      precision: 4,
      scale: 0,
      unsigned: true,
      nullable: false,
    },
    inside: ['0', '9999'],
    outside: ['-1', '-0', '1.0', '10000'],
  },
  {
    column: { name: 'a', type: 'date', mysqlType: 'date', nullable: true },
    inside: [
      '1995-03-31',
      '2024-02-29',
      '2000-02-29',
      '1600-02-29',
      '1999-12-31',
      '2023-04-30',
      '\\N',
    ],
    outside: [
      '1900-02-29',
      '2023-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '0000-01-01',
      '2023-1-05',
      '2023-01-05 ',
      '20230105',
    ],
  },
  {
    column: { name: 'a', type: 'char', mysqlType: 'char(3)', length: 3, nullable: false },
    inside: ['abc', 'ab ', 'é€😀', 'a'],
    // An empty line (never sent) would be skipped by the typed reader.
    outside: ['', 'abcd', '\\N', 'a\\b'],
  },
  {
    column: { name: 'a', type: 'varchar', mysqlType: 'varchar(5)', length: 5, nullable: true },
    inside: ['\\N', 'hello', 'N', 'naïve'],
    outside: ['hello!', 'x\\y'],
  },
];

describe('LOAD DATA line shapes', () => {
  let folder: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'exo-load-shapes-'));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });

  after(async () => {
    connection.closeSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  });

  /** The load statements of a one-column chunk holding `fields`, one per line. */
  const statementsFor = async (column: ColumnDef, fields: readonly string[], name: string) => {
    const check = fieldCheck(column, 'c0');
    assert.ok(check !== undefined);
    const file = path.join(folder, name);
    await writeFile(file, fields.map((field) => `${field}\n`).join(''));
    const statements = loadStatements(
      {
        partition: { database: 'd', ordinal: 0 },
        engine: 'column',
        txn: 't',
        table: 'target',
        columns: ['a'],
        values: [check.value],
        accept: check.accept,
        fieldCount: 1,
        delimiter: '\t',
        lines: fields.length,
        typed: lineShape([column], TAB)?.types,
        data: new Uint8Array(),
      },
      file,
    );
    return statements;
  };

  /** Whether every line of `text` has the shape of `columns`. */
  const matches = (columns: readonly ColumnDef[], text: string, delimiter = TAB): boolean => {
    const shape = lineShape(columns, delimiter);
    assert.ok(shape !== undefined);
    const data = Buffer.from(text);
    for (let start = 0; start < data.length;) {
      const newline = data.indexOf(0x0a, start);
      if (!shape.matches(data, start, newline)) return false;
      start = newline + 1;
    }
    return true;
  };
  const linesOf = (fields: readonly string[]): string =>
    fields.map((field) => `${field}\n`).join('');

  const rowsOf = async (sql: string): Promise<string[]> => {
    const rows = await (await connection.run(sql)).getRowsJS();
    return rows.map((row) =>
      JSON.stringify(row[0], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
  };

  for (const [index, testCase] of CASES.entries()) {
    const label = `${testCase.column.mysqlType}${testCase.column.nullable ? ' NULL' : ''}`;

    it(`${label}: the shape admits canonical fields, read typed exactly as checked`, async () => {
      const statements = await statementsFor(testCase.column, testCase.inside, `in${index}`);
      assert.equal(matches([testCase.column], linesOf(testCase.inside)), true);
      const select = (insert: string | undefined): string => {
        assert.ok(insert !== undefined);
        return insert.replace(/^INSERT INTO "target" \("a"\) /, '');
      };
      // Every line passes the checks, and the typed read stores the same values.
      const checked = await rowsOf(select(statements.insert));
      assert.equal(checked.length, testCase.inside.length);
      assert.deepEqual(await rowsOf(select(statements.typedInsert)), checked);
    });

    for (const field of testCase.outside) {
      it(`${label}: ${JSON.stringify(field)} needs the checks`, () => {
        assert.equal(matches([testCase.column], linesOf([...testCase.inside, field])), false);
        assert.equal(matches([testCase.column], linesOf([field, ...testCase.inside])), false);
      });
    }
  }

  it('a line must hold exactly its fields, split by its delimiter only', () => {
    const columns: ColumnDef[] = [
      { name: 'a', type: 'int', mysqlType: 'int(11)', nullable: false },
      { name: 'b', type: 'varchar', mysqlType: 'varchar(9)', length: 9, nullable: true },
    ];
    const pipe = '|'.charCodeAt(0);
    assert.equal(matches(columns, '12|abc\n', pipe), true);
    assert.equal(matches(columns, '12|\\N\n', pipe), true);
    assert.equal(matches(columns, '12|\n', pipe), true);
    assert.equal(matches(columns, '12|abc|x\n', pipe), false);
    assert.equal(matches(columns, '12\n', pipe), false);
    assert.equal(matches(columns, '12xabc\n', pipe), false);
    assert.equal(matches(columns, '12\tabc\n', pipe), false);
    assert.equal(matches(columns, '|abc\n', pipe), false);
    assert.equal(matches(columns, '12|\\Nx\n', pipe), false);
  });

  it('a TEXT column counts bytes, a VARCHAR characters', () => {
    const text: ColumnDef = { name: 't', type: 'text', mysqlType: 'tinytext', nullable: false };
    const varchar: ColumnDef = {
      name: 'v',
      type: 'varchar',
      mysqlType: 'varchar(255)',
      length: 255,
      nullable: false,
    };
    assert.equal(matches([text], `${'a'.repeat(255)}\n`), true);
    assert.equal(matches([text], `${'a'.repeat(256)}\n`), false);
    assert.equal(matches([text], `${'é'.repeat(128)}\n`), false);
    assert.equal(matches([varchar], `${'é'.repeat(255)}\n`), true);
    assert.equal(matches([varchar], `${'é'.repeat(256)}\n`), false);
  });

  it('types without a shape leave the whole line to the checks', () => {
    const double: ColumnDef = { name: 'r', type: 'double', mysqlType: 'double', nullable: true };
    const enumeration: ColumnDef = {
      name: 'e',
      type: 'varchar',
      mysqlType: "enum('x')",
      values: ['x'],
      nullable: true,
    };
    assert.equal(lineShape([double], TAB), undefined);
    assert.equal(lineShape([enumeration], TAB), undefined);
    const int: ColumnDef = { name: 'a', type: 'int', mysqlType: 'int(11)', nullable: false };
    assert.equal(lineShape([int, double], TAB), undefined);
  });
});
