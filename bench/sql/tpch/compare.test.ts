// The result checker: what it accepts and what it reports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareResults } from './compare.js';

describe('compareResults', () => {
  const columns = ['name', 'total'];

  it('accepts equal answers given as numbers, bigints, decimal text and midnight timestamps', () => {
    const expected = {
      columns,
      rows: [
        ['a', '12.50'],
        ['1995-03-15', 3n],
      ],
    };
    const actual = {
      columns: ['NAME', 'Total'],
      rows: [
        ['a', 12.5],
        ['1995-03-15 00:00:00', '3'],
      ],
    };
    assert.deepEqual(compareResults(expected, actual, [0]), []);
  });

  it('allows 1e-6 relative error, or one unit in the last place of the shorter decimal', () => {
    const expected = {
      columns,
      rows: [
        ['a', 0.049887502556760076],
        ['b', 1000000.0000001],
      ],
    };
    const actual = {
      columns,
      rows: [
        ['a', '0.049888'],
        ['b', '1000000.00'],
      ],
    };
    assert.deepEqual(compareResults(expected, actual, []), []);
    const wrong = {
      columns,
      rows: [
        ['a', '0.049890'],
        ['b', '1000000.00'],
      ],
    };
    assert.match(compareResults(expected, wrong, [])[0] ?? '', /row 1 column total/);
  });

  it('accepts any order without ORDER BY and among equal sort keys, but not across keys', () => {
    const expected = {
      columns,
      rows: [
        ['a', 1],
        ['b', 1],
        ['c', 2],
      ],
    };
    assert.deepEqual(
      compareResults(
        expected,
        {
          columns,
          rows: [
            ['b', 1],
            ['a', 1],
            ['c', 2],
          ],
        },
        [1],
      ),
      [],
    );
    assert.deepEqual(
      compareResults(
        expected,
        {
          columns,
          rows: [
            ['c', 2],
            ['b', 1],
            ['a', 1],
          ],
        },
        [],
      ),
      [],
    );
    assert.notDeepEqual(
      compareResults(
        expected,
        {
          columns,
          rows: [
            ['c', 2],
            ['b', 1],
            ['a', 1],
          ],
        },
        [1],
      ),
      [],
    );
  });

  it('reports different columns, row counts, NULLs and text', () => {
    const expected = { columns, rows: [['a', null]] };
    assert.match(
      compareResults(expected, { columns: ['name'], rows: [['a']] }, [])[0] ?? '',
      /columns differ/,
    );
    assert.match(compareResults(expected, { columns, rows: [] }, [])[0] ?? '', /row count differs/);
    assert.match(
      compareResults(expected, { columns, rows: [['a', 0]] }, [])[0] ?? '',
      /expected NULL, got 0/,
    );
    assert.match(
      compareResults(expected, { columns, rows: [['a ', null]] }, [])[0] ?? '',
      /column name/,
    );
  });
});
