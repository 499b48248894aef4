import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SqlError } from '../../src/errors.js';
import {
  formatStatement,
  parseScript,
  parseStatement,
  splitStatements,
} from '../../src/parser/index.js';
import { ALL_STATEMENTS } from './corpus.js';
import { statementTree } from './helpers.js';

/** Parsing either succeeds or fails with 1064/1065; any other failure is a bug. */
function parseSafely(sql: string): void {
  try {
    const tree = parseStatement(sql);
    // Whatever parses must also print and parse back to the same tree.
    assert.deepEqual(statementTree(parseStatement(formatStatement(tree))), statementTree(tree));
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    if (!(error instanceof SqlError) || (error.errno !== 1064 && error.errno !== 1065)) {
      throw new Error(`unexpected failure for ${JSON.stringify(sql)}: ${String(error)}`);
    }
  }
}

/** Word-ish pieces of a statement, so mutations act on tokens. */
function pieces(sql: string): string[] {
  return sql.match(/`[^`]*`|'(?:[^'\\]|\\.)*'|\w+|\s+|./g) ?? [];
}

const corpusStatement = fc.constantFrom(...ALL_STATEMENTS);

const mutated = fc
  .tuple(
    corpusStatement,
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 3 })), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([sql, edits]) => {
    const parts = pieces(sql);
    for (const [at, other, kind] of edits) {
      if (parts.length === 0) break;
      const index = at % parts.length;
      const otherIndex = other % parts.length;
      if (kind === 0) parts.splice(index, 1);
      else if (kind === 1) parts.splice(index, 0, parts[index] as string);
      else if (kind === 2)
        [parts[index], parts[otherIndex]] = [parts[otherIndex] as string, parts[index] as string];
      else
        parts.splice(
          index,
          0,
          ['(', ')', ',', "'", '`', '/*', '--', 'SELECT', 'NOT', '?', '@@', '*'][
            other % 12
          ] as string,
        );
    }
    return parts.join('');
  });

describe('parser fuzzing', () => {
  it('throws only syntax errors on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parseSafely), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), parseSafely), {
      numRuns: 500,
    });
  });

  it('throws only syntax errors on mutated corpus statements', () => {
    fc.assert(fc.property(mutated, parseSafely), { numRuns: 3000 });
  });

  it('round-trips every corpus statement through the printer', () => {
    fc.assert(
      fc.property(corpusStatement, (sql) => {
        const tree = parseStatement(sql);
        assert.deepEqual(statementTree(parseStatement(formatStatement(tree))), statementTree(tree));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws from splitStatements, and scripts throw only syntax errors', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(corpusStatement, mutated), { maxLength: 5 }), (statements) => {
        const script = statements.join(';\n');
        assert.ok(Array.isArray(splitStatements(script)));
        try {
          parseScript(script);
        } catch (error) {
          assert.ok(error instanceof SqlError && error.errno === 1064, String(error));
        }
      }),
      { numRuns: 500 },
    );
  });
});
