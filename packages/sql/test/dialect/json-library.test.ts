/**
 * The JSON reader, paths and printers of dialect/json/ on their own: which text reads and
 * where an error is (MariaDB 10.11's JSON_VALID notes and JSON_EXTRACT path warnings for the
 * same text), and the forms MariaDB writes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDocument } from '../../src/dialect/json/scan.js';
import { readPath } from '../../src/dialect/json/path.js';
import { detailedJson, normalNumber } from '../../src/dialect/json/print.js';
import { sharedFunctions } from '../../src/dialect/shared-functions.js';

/** The error of a document as `kind@position`, or 'ok'. */
function documentError(text: string): string {
  const read = readDocument(text);
  if (read.ok) return 'ok';
  // An unexpected end has no position in MariaDB's message.
  return read.error.kind === 'eos' ? 'eos' : `${read.error.kind}@${read.error.position}`;
}

describe('JSON as MariaDB reads it', () => {
  it('finds the errors MariaDB finds, where it finds them', () => {
    const cases: [string, string][] = [
      ['[1,]', 'syntax@4'],
      ['01', 'syntax@2'],
      ['1.', 'ok'],
      ['.5', 'syntax@1'],
      ['-', 'syntax@1'],
      ['1e', 'syntax@2'],
      ['[-]', 'ok'],
      ['"\\x"', 'ok'],
      ['"\\u12"', 'syntax@5'],
      ['"a\u0001"', 'notJsonChar@3'],
      ['[\u0001]', 'notJsonChar@2'],
      ['"a\\\u0001"', 'escaping@3'],
      ['"\\ud800"', 'syntax@7'],
      ['"\\udc00"', 'broken@7'],
      ['{"a" 1}', 'syntax@5'],
      ['{a:1}', 'syntax@2'],
      ['[1 2]', 'syntax@4'],
      ['tru', 'eos'],
      ['trux', 'syntax@3'],
      ['{}{', 'syntax@3'],
      ['  ', 'eos'],
      ['12abc', 'syntax@3'],
      ['1é', 'broken@1'],
      ['é', 'syntax@2'],
      ['[1.5.3]', 'syntax@5'],
      ['{"a":1,}', 'syntax@8'],
      ['{"a\u0001":1}', 'syntax@3'],
      ['['.repeat(32) + ']'.repeat(32), 'depth@32'],
      ['['.repeat(31) + ']'.repeat(31), 'ok'],
    ];
    for (const [text, expected] of cases) assert.equal(documentError(text), expected, text);
  });

  it('reads paths as MariaDB 10.11 does', () => {
    const cases: [string, string][] = [
      ['$[last - 1]', 'syntax@9'],
      ['$[ last-1 ]', 'ok'],
      ['$[last+1]', 'syntax@7'],
      ['$[1to2]', 'syntax@4'],
      ['$[01]', 'syntax@4'],
      ['$**', 'syntax@4'],
      ['$[', 'eos'],
      ['$[a]', 'syntax@3'],
      ['lax $[1]', 'ok'],
      ['strict $[1]', 'syntax@1'],
      ['$[1] ', 'syntax@5'],
      ['$ [1]', 'syntax@2'],
      ['$.a b', 'ok'],
      ['$..a', 'syntax@3'],
      ['$.a.', 'eos'],
      ['$a', 'syntax@2'],
      ['$**.b[1 to 3][*]', 'ok'],
    ];
    for (const [text, expected] of cases) {
      const read = readPath(text);
      const found = read.ok
        ? 'ok'
        : read.error.kind === 'eos'
          ? 'eos'
          : `${read.error.kind}@${read.error.position}`;
      assert.equal(found, expected, text);
    }
    const read = readPath('$[last-2].a."b c"[*]');
    assert.ok(read.ok);
    assert.deepEqual(read.path.steps, [
      { kind: 'index', from: -3, deep: false },
      { kind: 'key', name: 'a', raw: 'a', deep: false },
      { kind: 'key', name: 'b c', raw: 'b c', deep: false },
      { kind: 'index', from: undefined, deep: false },
    ]);
    assert.equal(read.path.wild, true);
  });

  it('writes the detailed and normal forms', () => {
    const doc = readDocument('{"a":[1],"b":[[1],{}],"c":{"d":[]}}');
    assert.ok(doc.ok);
    assert.equal(
      detailedJson(doc.value, 4),
      '{\n    "a": \n    [1],\n    "b": \n    [\n        [1],\n        {\n        }\n    ],\n    "c": \n    {\n        "d": \n        []\n    }\n}',
    );
    assert.deepEqual(
      ['0', '-1.5', '123.45', '1e-3', '100', '-0', '12345678901234567890'].map(normalNumber),
      ['0.0E0', '-1.5E0', '1.2345E2', '1.0E-3', '1.0E2', '0.0E0', '1.234567890123456789E19'],
    );
  });

  it('registers each shared function under a name of its own', () => {
    const names = sharedFunctions.map((fn) => fn.engine);
    assert.equal(new Set(names).size, names.length);
  });
});
