import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDouble } from '../../src/protocol/index.js';

describe('DOUBLE text form', () => {
  it('is the shortest round-trip text with MySQL exponent spelling', () => {
    assert.equal(formatDouble(1e21), '1e21');
    assert.equal(formatDouble(1.5e300), '1.5e300');
    assert.equal(formatDouble(1e-7), '1e-7');
    assert.equal(formatDouble(0.1), '0.1');
    assert.equal(formatDouble(-2.5), '-2.5');
    assert.equal(formatDouble(123456789012345680000), '123456789012345680000');
    for (const value of [0.1 + 0.2, Math.PI, -1e-300, 2 ** 60])
      assert.equal(Number(formatDouble(value)), value);
  });
});
