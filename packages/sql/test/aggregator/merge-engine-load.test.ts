/**
 * Tables given to the merge engine as values: DECIMAL columns whose values are text go through a
 * VARCHAR staging table and one cast (`merge-engine.ts`); the rows read back are those the
 * engine's own casts give, with NULLs, signs, values beyond 64 bits and the other columns
 * untouched. A few rows of numbers and text are written into a view's VALUES instead
 * (`merge-load.ts`), with the same answers as the appended table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MergeEngine } from '../../src/aggregator/merge-engine.js';
import type { SqlValue } from '../../src/values.js';

const DECIMALS = [
  '0.0000',
  '-1.5000',
  '12345678901234567890123456789.1234',
  '-99999999999999999999999999999999.9999',
  null,
  '7.0001',
];

describe('merge engine: tables loaded from values', () => {
  let merge: MergeEngine;
  before(async () => {
    merge = await MergeEngine.create({ threads: 1 });
  });
  after(() => merge.close());

  it('loads text into DECIMAL columns with the values the engine casts', async () => {
    const rows: SqlValue[][] = DECIMALS.map((value, index) => [index, value, `name ${index}`]);
    const result = await merge.run(
      [
        {
          name: 'exo_subplan_1',
          columns: [
            { name: 'c1', engineType: 'BIGINT' },
            { name: 'c2', engineType: 'DECIMAL(38,4)' },
            { name: 'c3', engineType: 'VARCHAR' },
          ],
          rows,
        },
      ],
      'SELECT c1, c2, c3 FROM exo_subplan_1 ORDER BY c1',
    );
    assert.deepEqual(result.rows, rows);
    // The staging table is gone with the connection; the column kept its declared type.
    assert.equal(result.columns[1]?.type, 'decimal');
    assert.equal(result.columns[1]?.scale, 4);
  });

  it('rounds text with more digits as a cast does, and keeps numbers on the direct path', async () => {
    const result = await merge.run(
      [
        {
          name: 'staged',
          columns: [{ name: 'd', engineType: 'DECIMAL(10,2)' }],
          rows: [['1.005'], ['-2.675'], ['3']],
        },
        {
          name: 'direct',
          columns: [{ name: 'd', engineType: 'DECIMAL(10,2)' }],
          rows: [[1], [2.5], ['4.25']],
        },
      ],
      "SELECT 's', d FROM staged UNION ALL SELECT 'c', d FROM direct ORDER BY 1 DESC, 2",
    );
    const expected = await merge.run(
      [],
      "SELECT 's', CAST(x AS DECIMAL(10,2)) FROM (VALUES ('1.005'), ('-2.675'), ('3')) v(x) ORDER BY 2",
    );
    assert.deepEqual(
      result.rows.slice(0, 3).map((row) => row[1]),
      expected.rows.map((row) => row[1]),
    );
    assert.deepEqual(
      result.rows.slice(3).map((row) => row[1]),
      ['1.00', '2.50', '4.25'],
    );
  });

  it('loads numbers into narrower and wider columns, text into dates, and mixed kinds', async () => {
    const rows: SqlValue[][] = [
      [1, 1, '2024-02-29', 1],
      [-7, 2.5, '1999-12-31', 'x'],
      [null, 9007199254740993n, null, null],
      [2147483647, -0, '2000-01-01', 2.25],
    ];
    const result = await merge.run(
      [
        {
          name: 'kinds',
          columns: [
            { name: 'i', engineType: 'INTEGER' },
            { name: 'f', engineType: 'DOUBLE' },
            { name: 'd', engineType: 'DATE' },
            { name: 'v', engineType: 'VARCHAR' },
          ],
          rows,
        },
      ],
      'SELECT i, f, d, v, typeof(i), typeof(d) FROM kinds ORDER BY i NULLS LAST',
    );
    assert.deepEqual(result.rows, [
      [-7, 2.5, '1999-12-31', 'x', 'INTEGER', 'DATE'],
      [1, 1, '2024-02-29', '1', 'INTEGER', 'DATE'],
      [2147483647, -0, '2000-01-01', '2.25', 'INTEGER', 'DATE'],
      [null, 9007199254740992, null, null, 'INTEGER', 'DATE'],
    ]);
    await assert.rejects(
      merge.run(
        [{ name: 'wide', columns: [{ name: 'i', engineType: 'INTEGER' }], rows: [[2147483648]] }],
        'SELECT i FROM wide',
      ),
    );
  });

  it('reads 128-bit DECIMAL text that fits 18 digits through a 64-bit cast, exactly', async () => {
    const result = await merge.run(
      [
        {
          name: 'sums',
          columns: [
            { name: 'k', engineType: 'INTEGER' },
            { name: 'd', engineType: 'DECIMAL(38,4)' },
          ],
          rows: [
            [1, '1.5'],
            [2, '-0.0001'],
            [3, '12345678901234.5678'],
            [4, null],
            [5, '-99999999999999.9999'],
          ],
        },
      ],
      'SELECT k, d, typeof(d) FROM sums ORDER BY k',
    );
    assert.deepEqual(result.rows, [
      [1, '1.5000', 'DECIMAL(38,4)'],
      [2, '-0.0001', 'DECIMAL(38,4)'],
      [3, '12345678901234.5678', 'DECIMAL(38,4)'],
      [4, null, 'DECIMAL(38,4)'],
      [5, '-99999999999999.9999', 'DECIMAL(38,4)'],
    ]);
  });

  it('loads collated text columns, from text and from numbers', async () => {
    const result = await merge.run(
      [
        {
          name: 'named',
          columns: [
            { name: 'k', engineType: 'INTEGER' },
            { name: 'a', engineType: 'VARCHAR COLLATE NOCASE' },
            { name: 'b', engineType: 'VARCHAR COLLATE NOCASE' },
          ],
          rows: [
            [2, 'Beta', 20],
            [1, 'alpha', 10],
            [3, null, null],
          ],
        },
      ],
      "SELECT k, a, b, a = 'ALPHA' FROM named ORDER BY a NULLS LAST",
    );
    assert.deepEqual(result.rows, [
      [1, 'alpha', '10', 1],
      [2, 'Beta', '20', 0],
      [3, null, null, null],
    ]);
  });

  it('gives the same rows from a few rows written into a view as from an appended table', async () => {
    const few: SqlValue[][] = [
      [1, "it's", '1.005', 0.1, 9007199254740993n],
      [2, 'Mixed Case', '-0.0001', 1e21, -(2n ** 63n)],
      [3, null, null, null, null],
      [4, 'trailing  ', '99999999999999999999.9999', 5e-324, 2n ** 70n],
      [5, 'emoji 😀 ü', '0', -2.5, 0],
    ];
    const columns = [
      { name: 'k', engineType: 'INTEGER' },
      { name: 's', engineType: 'VARCHAR COLLATE NOCASE' },
      { name: 'd', engineType: 'DECIMAL(38,4)' },
      { name: 'f', engineType: 'DOUBLE' },
      { name: 'h', engineType: 'HUGEINT' },
    ];
    const query = (name: string): string =>
      `SELECT k, s, d, f, h, typeof(s), typeof(d), typeof(h), s = 'MIXED CASE' FROM ${name} WHERE k <= 5 ORDER BY k`;
    // More rows than are written into a view's text: the appender takes them.
    const many = [
      ...few,
      ...Array.from({ length: 70 }, (_, index): SqlValue[] => [index + 10, 'x', '1', 1, 1]),
    ];
    const inline = await merge.run([{ name: 'few', columns, rows: few }], query('few'));
    const appended = await merge.run([{ name: 'many', columns, rows: many }], query('many'));
    assert.deepEqual(inline.rows, appended.rows);
    assert.deepEqual(inline.columns, appended.columns);
    assert.equal(inline.rows[1]?.[8], 1, 'the collation is kept');
  });

  it('rejects text that is not a number, as the appender did', async () => {
    await assert.rejects(
      merge.run(
        [{ name: 'bad', columns: [{ name: 'd', engineType: 'DECIMAL(10,2)' }], rows: [['x']] }],
        'SELECT d FROM bad',
      ),
    );
  });
});
