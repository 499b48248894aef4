/**
 * DOUBLE and FLOAT text as MariaDB 10.11 writes it: each expected text below is MariaDB's
 * answer to `SELECT <value>` (DOUBLE literals) or to a FLOAT column holding the value, read
 * with the `mariadb` client. The same forms are checked end to end, CONCAT and CAST included,
 * in test/aggregator/double-text.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDouble } from '../../src/protocol/index.js';
import { floatText } from '../../src/number-text.js';

/** [value, MariaDB's text]. */
const DOUBLES: readonly (readonly [number, string])[] = [
  [1e14, '100000000000000'],
  [1e15, '1e15'],
  [1e16, '1e16'],
  [123456789012345, '123456789012345'],
  [1234567890123456, '1.234567890123456e15'],
  [Number('12345678901234567'), '1.2345678901234568e16'],
  [Number('1000000000000000.2'), '1000000000000000.2'],
  [Number('-1234567890123456.8'), '-1234567890123456.8'],
  [Number('9007199254740993'), '9.007199254740992e15'],
  [100000000000001 * 10, '1.00000000000001e15'],
  [0.001, '0.001'],
  [0.00001, '0.00001'],
  [1.5e-5, '0.000015'],
  [1e-15, '0.000000000000001'],
  [-1.5e-14, '-0.000000000000015'],
  [Number('1.2345678901234567e-15'), '0.0000000000000012345678901234568'],
  [1e-16, '1e-16'],
  [1 / 3, '0.3333333333333333'],
  [2 / 3e5, '0.000006666666666666667'],
  [1e100, '1e100'],
  [1.7976931348623157e308, '1.7976931348623157e308'],
  [5e-324, '5e-324'],
  [-0, '0'],
  [0.1, '0.1'],
  [-2.5, '-2.5'],
];

/** [value stored in a FLOAT column, MariaDB's text]. */
const FLOATS: readonly (readonly [number, string])[] = [
  [3.14159265, '3.14159'],
  [16777216, '16777200'],
  [1234567, '1234570'],
  [0.000123456, '0.000123456'],
  [1e-7, '0.0000001'],
  [123456.7, '123457'],
  [-0.00001234567, '-0.0000123457'],
  [1.2345678e-10, '0.000000000123457'],
  [1e15, '1e15'],
  [1e14, '100000000000000'],
  [9999999e9, '1e16'],
  [999999.5, '1000000'],
  [1.5e-16, '1.5e-16'],
  [3e38, '3e38'],
  [0.1, '0.1'],
];

describe('DOUBLE and FLOAT text form', () => {
  it('writes DOUBLE values as MariaDB does', () => {
    for (const [value, text] of DOUBLES) assert.equal(formatDouble(value), text, String(value));
  });

  it('reads back to the same DOUBLE', () => {
    for (const value of [0.1 + 0.2, Math.PI, -1e-300, 2 ** 60, 1e21, 1.5e300, 123.456e-9])
      assert.equal(Number(formatDouble(value)), value);
  });

  it('writes FLOAT values to 6 significant digits, as MariaDB does', () => {
    for (const [value, text] of FLOATS) assert.equal(floatText(value), text, String(value));
  });
});
