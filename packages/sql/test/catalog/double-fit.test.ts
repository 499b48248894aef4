/**
 * DOUBLE(M,D) and FLOAT(M,D) values as MariaDB 10.11 stores and prints them. Every expected
 * value is MariaDB's answer to INSERT into such a column then SELECT (the `mariadb` client),
 * and `d * 1e0` for the exact double kept: the fraction alone is rounded half to even in double
 * arithmetic, so 2.675 (2.67499… as a double) keeps 2.67, 0.125 becomes 0.12, 0.375 0.38, and
 * -0.045 becomes -0.040000000000000036.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { doubleLimit, fitDouble, roundToDecimals } from '../../src/catalog/double-fit.js';
import { fixedText } from '../../src/number-text.js';

const double102 = { type: 'double', precision: 10, scale: 2 } as const;

describe('DOUBLE(M,D) rounding and range', () => {
  it('rounds the fraction half to even in double arithmetic, as MariaDB stores it', () => {
    const cases: readonly (readonly [number, number])[] = [
      [3.14159, 3.14],
      [12345678.999, 12345679],
      [2.675, 2.67],
      [-2.675, -2.67],
      [0.125, 0.12],
      [0.375, 0.38],
      [1.005, 1],
      [1.015, 1.01],
      [1.025, 1.02],
      [1.035, 1.03],
      [3.145, 3.15],
      [-0.004, 0],
      [0.005, 0],
      [-0.005, 0],
      [-0.045, -0.040000000000000036],
      [0.0025, 0],
      [99999999.994, 99999999.99],
    ];
    for (const [value, stored] of cases)
      assert.equal(roundToDecimals(value, 2), stored, `${value}`);
    assert.equal(roundToDecimals(-1.0005, 3), -1);
    assert.equal(roundToDecimals(1.0005, 3), 1);
  });

  it('keeps 10^(M-D) - 10^-D at most, with its sign', () => {
    assert.equal(doubleLimit(double102), 99999999.99);
    assert.equal(doubleLimit({ type: 'float', precision: 5, scale: 1 }), 9999.9);
    assert.equal(doubleLimit({ type: 'double' }), Number.MAX_VALUE);
    assert.deepEqual(fitDouble(99999999.994, double102), { value: 99999999.99, outOfRange: false });
    assert.deepEqual(fitDouble(99999999.995, double102), { value: 99999999.99, outOfRange: true });
    assert.deepEqual(fitDouble(-1e300, double102), { value: -99999999.99, outOfRange: true });
    assert.deepEqual(fitDouble(1e39, { type: 'float' }), {
      value: 3.4028234663852886e38,
      outOfRange: true,
    });
  });

  it('refuses a negative number in an UNSIGNED column before rounding', () => {
    const unsigned = { ...double102, unsigned: true };
    assert.deepEqual(fitDouble(-0.001, unsigned), { value: 0, outOfRange: true });
    assert.deepEqual(fitDouble(-1, { type: 'double', unsigned: true }), {
      value: 0,
      outOfRange: true,
    });
    assert.deepEqual(fitDouble(1.005, unsigned), { value: 1, outOfRange: false });
  });
});

describe('fixed decimals in text', () => {
  it('writes the shortest digits padded to D decimals, as MariaDB shows DOUBLE(M,D)', () => {
    assert.equal(fixedText(3.14, 2), '3.14');
    assert.equal(fixedText(12345679, 2), '12345679.00');
    assert.equal(fixedText(-0.040000000000000036, 2), '-0.04');
    assert.equal(fixedText(0, 2), '0.00');
    assert.equal(fixedText(-0, 2), '0.00');
    assert.equal(fixedText(1e25, 2), '10000000000000000000000000.00');
    assert.equal(fixedText(2 ** 70, 2), '1180591620717411300000.00');
    assert.equal(fixedText(0.1 + 0.2, 20), '0.30000000000000004000');
    assert.equal(fixedText(1e-20, 20), '0.00000000000000000001');
    assert.equal(fixedText(16777216, 20), '16777216.00000000000000000000');
    assert.equal(fixedText(Math.fround(0.1), 20), '0.10000000149011612000');
    assert.equal(fixedText(123456789, 0), '123456789');
  });

  it('rounds the exact value half to even when the digits do not fit (d * d is 1.56)', () => {
    assert.equal(fixedText(1.5625, 2), '1.56');
    assert.equal(fixedText(-0.0005, 3), '-0.001');
    assert.equal(fixedText(Math.fround(123.456802), 4), '123.4568');
    assert.equal(fixedText(Math.fround(1 / 3), 10), '0.3333333433');
  });
});
