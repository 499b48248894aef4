/**
 * DuckDB's duplicate-key messages as 1062: a fold index (catalog/folded-keys.ts) names its
 * expressions, which reduce to their columns; rows of one statement or transaction that collide
 * name no key ('PRIMARY'), their values joined by '-' as MySQL joins a composite key's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duckdbError } from '../../src/storage/engine-errors.js';

function message(text: string): string {
  const error = duckdbError(new Error(text));
  assert.equal(error.errno, 1062);
  return error.message;
}

describe('DuckDB duplicate keys', () => {
  it('reads plain and fold-index keys', () => {
    assert.equal(
      message('Constraint Error: Duplicate key "id: 5" violates primary key constraint.'),
      "Duplicate entry '5' for key 'PRIMARY'",
    );
    assert.equal(
      message(
        `Constraint Error: Duplicate key "lower(rtrim(k, ' ')): a" violates unique constraint.`,
      ),
      "Duplicate entry 'a' for key 'k'",
    );
    assert.equal(
      message(
        `Constraint Error: Duplicate key "id: 1, lower(rtrim("my col", ' ')): a, b" violates unique constraint.`,
      ),
      "Duplicate entry '1-a, b' for key 'id_my col'",
    );
  });

  it('reads keys that collide within a statement', () => {
    assert.equal(
      message('Constraint Error: PRIMARY KEY or UNIQUE constraint violation: duplicate key "2, a"'),
      "Duplicate entry '2-a' for key 'PRIMARY'",
    );
  });
});
